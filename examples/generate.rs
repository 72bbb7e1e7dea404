//! Generates a realistic event folder of any size: buyers with interests in product categories,
//! firms in those categories with fixed tables, some with two representatives, partial
//! availability, mutual and one-sided wishes, a few required and forbidden pairs.
//!
//!     cargo run --release --example generate -- OUT_DIR BUYERS FIRMS DAYS WISHES_PER_BUYER [SEED] [--popular]
//!
//! e.g. a brokerage event: `... /tmp/brokerage 150 200 2 10`; a hosted-buyer trade show:
//! `... /tmp/show 2000 1000 3 10`. `--popular` skews the wishes towards a few firms of each
//! category (as at real events: everyone wants the market leaders), so that demand exceeds
//! their capacity and the plan must choose: the value model has real work to do.

use std::fmt::Write as _;
use std::path::PathBuf;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

fn main() {
    let all: Vec<String> = std::env::args().skip(1).collect();
    let popular = all.iter().any(|a| a == "--popular");
    let args: Vec<String> = all.into_iter().filter(|a| !a.starts_with("--")).collect();
    if args.len() < 5 {
        eprintln!("usage: generate OUT_DIR BUYERS FIRMS DAYS WISHES_PER_BUYER [SEED] [--popular]");
        std::process::exit(2);
    }
    let out = PathBuf::from(&args[0]);
    let num = |i: usize| -> usize { args[i].parse().expect("a whole number") };
    let (buyers, firms, days, wishes) = (num(1), num(2), num(3), num(4));
    let seed = args.get(5).map_or(7, |s| s.parse().expect("a seed"));
    let mut rng = Rng(seed);
    std::fs::create_dir_all(&out).expect("create the output folder");

    // Two sessions a day (09:00-12:40 and 14:00-17:40), 20-minute slots.
    let mut slots = String::from("id,day,start,end\n");
    let mut slot_ids: Vec<(String, usize)> = Vec::new();
    for d in 0..days {
        for (from, to) in [(9 * 60, 12 * 60 + 40), (14 * 60, 17 * 60 + 40)] {
            let mut t = from;
            while t + 20 <= to {
                let id = format!(
                    "D{}S{:02}",
                    d + 1,
                    slot_ids.iter().filter(|(_, dd)| *dd == d).count() + 1
                );
                let _ = writeln!(
                    slots,
                    "{id},2027-03-{:02},{:02}:{:02},{:02}:{:02}",
                    10 + d,
                    t / 60,
                    t % 60,
                    (t + 20) / 60,
                    (t + 20) % 60
                );
                slot_ids.push((id, d));
                t += 20;
            }
        }
    }
    let day = |d: usize| format!("2027-03-{:02}", 10 + d);
    const CATEGORIES: usize = 8;
    let countries = [
        "Germany",
        "France",
        "United States",
        "Japan",
        "United Arab Emirates",
        "Spain",
        "China",
        "Brazil",
    ];
    let mut firm_cat = Vec::new();
    let mut firms_csv = String::from("id,name,table,reps,languages,unavailable\n");
    let mut tables = String::from("id\n");
    for f in 0..firms {
        let cat = rng.below(CATEGORIES);
        firm_cat.push(cat);
        let reps = if rng.chance(10) { 2 } else { 1 };
        let un = if days > 1 && rng.chance(10) {
            day(rng.below(days))
        } else {
            String::new()
        };
        let _ = writeln!(firms_csv, "F{f:04},Firm {f},T{f:04},{reps},it;en,{un}");
        let _ = writeln!(tables, "T{f:04}");
    }
    let mut buyers_csv = String::from("id,name,company,country,languages,unavailable\n");
    let mut prefs = String::from("from,to,interest,organiser\n");
    let mut by_cat: Vec<Vec<usize>> = vec![Vec::new(); CATEGORIES];
    for (f, &c) in firm_cat.iter().enumerate() {
        by_cat[c].push(f);
    }
    let interest = |r: &mut Rng| ["high", "medium", "medium", "low"][r.below(4)];
    for b in 0..buyers {
        let country = countries[rng.below(countries.len())];
        let un = if rng.chance(15) {
            format!("{} 09:00-11:00", day(rng.below(days)))
        } else {
            String::new()
        };
        let _ = writeln!(
            buyers_csv,
            "B{b:04},Buyer {b},Company {b},{country},en,{un}"
        );
        let cats = [rng.below(CATEGORIES), rng.below(CATEGORIES)];
        let mut chosen: Vec<usize> = Vec::new();
        let n = wishes / 2 + rng.below(wishes + 1);
        for _ in 0..n * 3 {
            if chosen.len() >= n {
                break;
            }
            let pool = &by_cat[cats[rng.below(2)]];
            if pool.is_empty() {
                continue;
            }
            // Popular: the least of four draws, so the first firms of a category are wanted
            // about four times as often as the average one.
            let k = if popular {
                (0..4).map(|_| rng.below(pool.len())).min().unwrap_or(0)
            } else {
                rng.below(pool.len())
            };
            let f = pool[k];
            if !chosen.contains(&f) {
                chosen.push(f);
            }
        }
        for f in chosen {
            let organiser = if rng.chance(1) {
                "required"
            } else if rng.chance(1) {
                "forbidden"
            } else {
                ""
            };
            let _ = writeln!(prefs, "B{b:04},F{f:04},{},{organiser}", interest(&mut rng));
            if rng.chance(30) {
                let _ = writeln!(prefs, "F{f:04},B{b:04},{},", interest(&mut rng));
            }
        }
    }
    for (name, text) in [
        ("slots.csv", slots),
        ("firms.csv", firms_csv),
        ("buyers.csv", buyers_csv),
        ("preferences.csv", prefs),
        ("tables.csv", tables),
    ] {
        std::fs::write(out.join(name), text).expect("write the event");
    }
    println!("wrote {}", out.display());
}
