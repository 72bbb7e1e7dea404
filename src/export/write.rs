//! Writing the output folder atomically: every file goes into a temporary folder beside
//! `--out`, which replaces the old folder only when complete. On any error the old folder
//! stays as it was and the temporary one is removed.

use super::OutFile;
use crate::error::Error;
use anyhow::{bail, Context};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// The temporary folder being filled, so that an abrupt exit (a second Ctrl-C) can remove it.
static IN_PROGRESS: Mutex<Option<PathBuf>> = Mutex::new(None);

/// Removes the temporary folder of a write in progress, if any (called before an abrupt exit).
pub(crate) fn abandon() {
    if let Ok(mut guard) = IN_PROGRESS.lock() {
        if let Some(p) = guard.take() {
            let _ = std::fs::remove_dir_all(p);
        }
    }
}

fn in_progress(p: Option<PathBuf>) {
    if let Ok(mut guard) = IN_PROGRESS.lock() {
        *guard = p;
    }
}

/// Marks a folder as ours, so that `--out` never replaces a folder of the organiser's.
pub(crate) const MARKER: &str = ".t4s-schedule";

pub(crate) fn write_atomically(out: &Path, files: &[OutFile]) -> crate::error::Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    if out.exists() {
        if !out.is_dir() {
            return Err(Error::usage(format!(
                "{} exists and is not a folder; choose another --out",
                out.display()
            )));
        }
        let empty = std::fs::read_dir(out)?.next().is_none();
        if !empty && !out.join(MARKER).exists() {
            return Err(Error::usage(format!(
                "refusing to replace {}: it is not an output folder of t4s-schedule; choose another --out",
                out.display()
            )));
        }
    }
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let tmp = tempfile::Builder::new()
        .prefix(".t4s-out-")
        .tempdir_in(&parent)
        .with_context(|| format!("cannot create a temporary folder in {}", parent.display()))?;
    in_progress(Some(tmp.path().to_path_buf()));
    let result = fill_and_swap(out, &parent, tmp, files);
    in_progress(None);
    Ok(result?)
}

fn fill_and_swap(
    out: &Path,
    parent: &Path,
    tmp: tempfile::TempDir,
    files: &[OutFile],
) -> anyhow::Result<()> {
    std::fs::write(
        tmp.path().join(MARKER),
        b"output folder of t4s-schedule; safe to replace\n",
    )?;
    for f in files {
        let rel = Path::new(&f.path);
        // Paths come from validated ids, but never let one leave the output folder.
        if rel.is_absolute() || rel.components().any(|c| !matches!(c, Component::Normal(_))) {
            bail!(
                "internal error: output path {:?} leaves the output folder",
                f.path
            );
        }
        let path = tmp.path().join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, &f.bytes).with_context(|| format!("cannot write {}", f.path))?;
    }
    // Swap: old folder aside, new folder in, old folder removed.
    let old = if out.exists() {
        let aside = tempfile::Builder::new()
            .prefix(".t4s-old-")
            .tempdir_in(parent)?
            .keep();
        std::fs::remove_dir(&aside)?;
        std::fs::rename(out, &aside)
            .with_context(|| format!("cannot move {} aside", out.display()))?;
        Some(aside)
    } else {
        None
    };
    let tmp_path = tmp.keep();
    if let Err(e) = std::fs::rename(&tmp_path, out) {
        if let Some(old) = &old {
            let _ = std::fs::rename(old, out);
        }
        let _ = std::fs::remove_dir_all(&tmp_path);
        return Err(e)
            .with_context(|| format!("cannot move the new output into {}", out.display()));
    }
    if let Some(old) = old {
        let _ = std::fs::remove_dir_all(old);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutFile {
        OutFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn replaces_own_folder_and_refuses_others() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write_atomically(&out, &[file("a/b.txt", "1")]).unwrap();
        write_atomically(&out, &[file("c.txt", "2")]).unwrap();
        assert!(!out.join("a/b.txt").exists());
        assert_eq!(std::fs::read_to_string(out.join("c.txt")).unwrap(), "2");

        let mine = dir.path().join("mine");
        std::fs::create_dir(&mine).unwrap();
        std::fs::write(mine.join("notes.txt"), "keep").unwrap();
        assert!(write_atomically(&mine, &[file("c.txt", "2")]).is_err());
        assert_eq!(
            std::fs::read_to_string(mine.join("notes.txt")).unwrap(),
            "keep"
        );
    }

    #[test]
    fn a_bad_path_leaves_the_old_folder_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write_atomically(&out, &[file("x.txt", "old")]).unwrap();
        assert!(write_atomically(&out, &[file("y.txt", "new"), file("../z.txt", "bad")]).is_err());
        assert_eq!(std::fs::read_to_string(out.join("x.txt")).unwrap(), "old");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }
}
