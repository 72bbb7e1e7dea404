//! A small SMTP server for the tests, on 127.0.0.1 (an ephemeral port), speaking real SMTP
//! (RFC 5321): greeting, EHLO/HELO, AUTH PLAIN, MAIL FROM, RCPT TO, DATA with dot-unstuffing,
//! RSET, NOOP, QUIT. It can refuse recipients with 550, drop the connection (and stop
//! listening) after N accepted messages, or drop it in the middle of a message: after the
//! data and before its reply. It stops by itself after a bounded time.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: Vec<u8>,
}

#[derive(Debug, Clone, Default)]
pub struct Behaviour {
    /// RCPT TO these addresses gets `550 5.1.1`.
    pub refuse: Vec<String>,
    /// After this many accepted messages: close the connection and stop listening.
    pub drop_after: Option<usize>,
    /// With `drop_after`: the next message's data is read, then the connection is closed
    /// without a reply (the client cannot know whether it was taken).
    pub drop_in_data: bool,
    /// AUTH PLAIN with this user and password is required before MAIL.
    pub login: Option<(String, String)>,
}

pub struct Server {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    /// Messages whose data arrived but got no reply (drop_in_data).
    unanswered: Arc<Mutex<Vec<Received>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    pub fn start(b: Behaviour) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let unanswered = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (r, u, s) = (received.clone(), unanswered.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            // Bounded: the server ends by itself even if a test forgets it.
            let deadline = Instant::now() + Duration::from_secs(300);
            while !s.load(Ordering::SeqCst) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => {
                        if !session(stream, &b, &r, &u) {
                            return; // dropped: stop listening too
                        }
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Server {
            port,
            received,
            unanswered,
            stop,
            thread: Some(thread),
        }
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    pub fn unanswered(&self) -> Vec<Received> {
        self.unanswered.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn angle(arg: &str) -> String {
    let a = arg.find('<').map_or(0, |i| i + 1);
    let b = arg.rfind('>').unwrap_or(arg.len());
    arg[a..b.max(a)].to_string()
}

fn b64decode(s: &str) -> Vec<u8> {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes() {
        let Some(v) = alphabet.iter().position(|&x| x == c) else {
            continue;
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// One client connection; false when the server dropped it on purpose (then it stops).
fn session(
    stream: TcpStream,
    b: &Behaviour,
    received: &Mutex<Vec<Received>>,
    unanswered: &Mutex<Vec<Received>>,
) -> bool {
    stream.set_nonblocking(false).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut w = stream.try_clone().unwrap();
    let mut r = BufReader::new(stream);
    let say = |w: &mut TcpStream, s: &str| w.write_all(format!("{s}\r\n").as_bytes()).is_ok();
    say(&mut w, "220 test.local ESMTP t4s-test");
    let (mut from, mut to, mut authed) = (None::<String>, Vec::new(), b.login.is_none());
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).unwrap_or(0) == 0 {
            return true;
        }
        let line = line.trim_end_matches(['\r', '\n']);
        let (verb, arg) = line.split_once(' ').unwrap_or((line, ""));
        let ok = match verb.to_uppercase().as_str() {
            "EHLO" => {
                let auth = if b.login.is_some() {
                    "250-AUTH PLAIN\r\n"
                } else {
                    ""
                };
                w.write_all(format!("250-test.local\r\n{auth}250 8BITMIME\r\n").as_bytes())
                    .is_ok()
            }
            "HELO" | "NOOP" => say(&mut w, "250 ok"),
            "AUTH" => {
                let cred = arg.split_whitespace().nth(1).unwrap_or("");
                let want = b
                    .login
                    .as_ref()
                    .map(|(u, p)| format!("\0{u}\0{p}").into_bytes());
                if Some(b64decode(cred)) == want {
                    authed = true;
                    say(&mut w, "235 2.7.0 authenticated")
                } else {
                    say(&mut w, "535 5.7.8 bad credentials")
                }
            }
            "MAIL" if !authed => say(&mut w, "530 5.7.0 authentication required"),
            "MAIL" => {
                from = Some(angle(arg));
                to.clear();
                say(&mut w, "250 2.1.0 ok")
            }
            "RCPT" => {
                let a = angle(arg);
                if b.refuse.contains(&a) {
                    say(&mut w, "550 5.1.1 no such user here")
                } else {
                    to.push(a);
                    say(&mut w, "250 2.1.5 ok")
                }
            }
            "DATA" if from.is_none() || to.is_empty() => say(&mut w, "503 5.5.1 no recipients"),
            "DATA" => {
                say(&mut w, "354 end with <CRLF>.<CRLF>");
                let mut data = Vec::new();
                loop {
                    let mut l = Vec::new();
                    if r.read_until(b'\n', &mut l).unwrap_or(0) == 0 {
                        return true;
                    }
                    if l == b".\r\n" {
                        break;
                    }
                    // Dot-unstuffing (RFC 5321 4.5.2).
                    let l = if l.starts_with(b"..") {
                        &l[1..]
                    } else {
                        &l[..]
                    };
                    data.extend_from_slice(l);
                }
                let msg = Received {
                    from: from.take().unwrap_or_default(),
                    to: std::mem::take(&mut to),
                    data,
                };
                let n = received.lock().unwrap().len();
                if b.drop_in_data && b.drop_after == Some(n) {
                    unanswered.lock().unwrap().push(msg);
                    return false; // no reply: the connection just ends
                }
                received.lock().unwrap().push(msg);
                say(&mut w, "250 2.0.0 queued")
            }
            "RSET" => {
                from = None;
                to.clear();
                say(&mut w, "250 ok")
            }
            "QUIT" => {
                say(&mut w, "221 bye");
                return true;
            }
            _ => say(&mut w, "500 5.5.2 unknown command"),
        };
        if !ok {
            return true;
        }
        // Dropping after N messages without the in-data variant: right after the Nth reply.
        if !b.drop_in_data
            && b.drop_after
                .is_some_and(|n| received.lock().unwrap().len() >= n)
        {
            return false;
        }
    }
}
