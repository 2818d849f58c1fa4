//! A real RFC 3161 time-stamping authority for the tests: `scripts/tsa.py`
//! (OpenSSL's `openssl ts -reply` behind HTTP), started on a free port with
//! its own root, stopped when the test ends.
use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

pub struct Tsa {
    child: Child,
    pub url: String,
    /// The root the portal trusts (`SL_TSA_CA`).
    pub roots: PathBuf,
}

impl Tsa {
    /// The authority kept in `dir` (made there the first time) on `port`.
    pub fn start(dir: &std::path::Path, port: u16) -> Tsa {
        let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/tsa.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(port.to_string())
            .arg(dir)
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 scripts/tsa.py");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("its port");
        let port = line.trim().strip_prefix("listening ").expect("listening PORT").to_string();
        Tsa { child, url: format!("http://127.0.0.1:{port}/"), roots: dir.join("ca.crt") }
    }

    /// Stops answering (as an authority that is down).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Tsa {
    fn drop(&mut self) {
        self.stop();
    }
}
