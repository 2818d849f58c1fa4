//! A small real SMTP server on loopback for the outbox's tests: it speaks
//! enough of RFC 5321 for lettre (EHLO, MAIL, RCPT, DATA, RSET, QUIT), keeps
//! what it receives, and can refuse every recipient for good (550).
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Clone, Default)]
pub struct Sink {
    /// Each message received: envelope recipient and the whole text.
    pub received: Arc<Mutex<Vec<(String, String)>>>,
}

impl Sink {
    pub fn messages(&self) -> Vec<(String, String)> {
        self.received.lock().map(|m| m.clone()).unwrap_or_default()
    }
}

/// A free port on loopback, with nothing listening on it yet.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("port")
}

/// Serves SMTP on `port` until the test ends; `refuse` answers 550 to every recipient.
pub async fn serve(port: u16, refuse: bool) -> Sink {
    let listener = TcpListener::bind(("127.0.0.1", port)).await.expect("bind the SMTP sink");
    let sink = Sink::default();
    let kept = sink.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let kept = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                let (mut rcpt, mut data, mut in_data) = (String::new(), String::new(), false);
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            if let Ok(mut r) = kept.received.lock() {
                                r.push((rcpt.clone(), std::mem::take(&mut data)));
                            }
                            let _ = write.write_all(b"250 queued\r\n").await;
                        } else {
                            data.push_str(&line);
                            data.push_str("\r\n");
                        }
                        continue;
                    }
                    let upper = line.to_ascii_uppercase();
                    let answer: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250 sink\r\n"
                    } else if upper.starts_with("MAIL FROM") || upper.starts_with("RSET") || upper.starts_with("NOOP") {
                        b"250 ok\r\n"
                    } else if upper.starts_with("RCPT TO") {
                        rcpt = line[8..].trim().trim_matches(['<', '>']).to_string();
                        if refuse {
                            b"550 5.1.1 no such mailbox\r\n"
                        } else {
                            b"250 ok\r\n"
                        }
                    } else if upper.starts_with("DATA") {
                        in_data = true;
                        b"354 go on\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"502 not here\r\n"
                    };
                    let _ = write.write_all(answer).await;
                }
            });
        }
    });
    sink
}
