//! The little of IMAP (RFC 3501) the portal needs: sign in to one mailbox,
//! take the messages not yet seen (which marks them seen) and leave. Over
//! TLS (`imaps://`) in production; plain `imap://` only to a loopback address.
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum ImapError {
    #[error("IMAP address: {0}")]
    Address(String),
    #[error("IMAP connection: {0}")]
    Io(#[from] std::io::Error),
    #[error("IMAP TLS: {0}")]
    Tls(String),
    #[error("IMAP server said: {0}")]
    Refused(String),
}

trait Stream: Read + Write {}
impl<T: Read + Write> Stream for T {}

struct Session {
    io: BufReader<Box<dyn Stream>>,
    tag: u32,
}

impl Session {
    fn open(url: &url::Url) -> Result<Session, ImapError> {
        let host = url.host_str().ok_or_else(|| ImapError::Address("no host".into()))?.to_string();
        let (tls, default_port) = match url.scheme() {
            "imaps" => (true, 993),
            "imap" if ["127.0.0.1", "localhost", "::1"].contains(&host.as_str()) => (false, 143),
            other => return Err(ImapError::Address(format!("{other}:// (imaps://, or imap:// to this machine)"))),
        };
        let tcp = TcpStream::connect((host.as_str(), url.port().unwrap_or(default_port)))?;
        tcp.set_read_timeout(Some(Duration::from_secs(30)))?;
        tcp.set_write_timeout(Some(Duration::from_secs(30)))?;
        let stream: Box<dyn Stream> = if tls {
            let connector = native_tls::TlsConnector::new().map_err(|e| ImapError::Tls(e.to_string()))?;
            Box::new(connector.connect(&host, tcp).map_err(|e| ImapError::Tls(e.to_string()))?)
        } else {
            Box::new(tcp)
        };
        let mut s = Session { io: BufReader::new(stream), tag: 0 };
        let greeting = s.line()?;
        if !greeting.starts_with("* OK") {
            return Err(ImapError::Refused(greeting));
        }
        Ok(s)
    }

    fn line(&mut self) -> Result<String, ImapError> {
        let mut line = String::new();
        if self.io.read_line(&mut line)? == 0 {
            return Err(ImapError::Refused("connection closed".into()));
        }
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    }

    /// Sends a command; returns the untagged lines, each with the literals it announced.
    fn command(&mut self, command: &str) -> Result<Vec<(String, Vec<u8>)>, ImapError> {
        self.tag += 1;
        let tag = format!("a{}", self.tag);
        self.io.get_mut().write_all(format!("{tag} {command}\r\n").as_bytes())?;
        let mut out = Vec::new();
        loop {
            let line = self.line()?;
            if let Some(status) = line.strip_prefix(&format!("{tag} ")) {
                return if status.starts_with("OK") { Ok(out) } else { Err(ImapError::Refused(status.to_string())) };
            }
            // A literal `{n}` at the end of the line: n bytes follow.
            let mut literal = Vec::new();
            if let Some(n) =
                line.strip_suffix('}').and_then(|l| l.rsplit_once('{')).and_then(|(_, n)| n.parse::<usize>().ok())
            {
                literal.resize(n, 0);
                self.io.read_exact(&mut literal)?;
                // The rest of the response line (e.g. the closing parenthesis).
                self.line()?;
            }
            out.push((line, literal));
        }
    }
}

/// IMAP's quoted string.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A session on the INBOX at `url` (`imaps://user:password@host/`).
fn inbox(url: &str) -> Result<Session, ImapError> {
    let url = url::Url::parse(url).map_err(|e| ImapError::Address(e.to_string()))?;
    let user = urlencoding_decode(url.username());
    let password = urlencoding_decode(url.password().unwrap_or_default());
    let mut s = Session::open(&url)?;
    s.command(&format!("LOGIN {} {}", quoted(&user), quoted(&password)))?;
    s.command("SELECT INBOX")?;
    Ok(s)
}

/// The messages of the INBOX at `url` not seen before, with their UIDs;
/// reading them does not mark them seen ([`mark_seen`] does, once they are kept).
pub fn unseen(url: &str) -> Result<Vec<(u32, Vec<u8>)>, ImapError> {
    let mut s = inbox(url)?;
    let found = s.command("UID SEARCH UNSEEN")?;
    let uids: Vec<u32> = found
        .iter()
        .filter_map(|(l, _)| l.strip_prefix("* SEARCH"))
        .flat_map(|rest| rest.split_whitespace().filter_map(|u| u.parse().ok()).collect::<Vec<u32>>())
        .collect();
    let mut messages = Vec::new();
    for uid in uids {
        let fetched = s.command(&format!("UID FETCH {uid} BODY.PEEK[]"))?;
        messages.extend(fetched.into_iter().map(|(_, body)| body).filter(|b| !b.is_empty()).map(|b| (uid, b)));
    }
    // Polite, not needed: the messages are read.
    drop(s.command("LOGOUT"));
    Ok(messages)
}

/// Marks the messages `uids` of the INBOX at `url` seen.
pub fn mark_seen(url: &str, uids: &[u32]) -> Result<(), ImapError> {
    if uids.is_empty() {
        return Ok(());
    }
    let mut s = inbox(url)?;
    let set: Vec<String> = uids.iter().map(u32::to_string).collect();
    s.command(&format!("UID STORE {} +FLAGS.SILENT (\\Seen)", set.join(",")))?;
    drop(s.command("LOGOUT"));
    Ok(())
}

fn urlencoding_decode(s: &str) -> String {
    // Percent-decoding only (a "+" in a password is a plus).
    let s = s.replace('+', "%2B");
    url::form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_tls_leaves_this_machine() {
        let refused = super::unseen("imap://user:pw@mail.example.it/").unwrap_err();
        assert!(refused.to_string().contains("imaps://"), "{refused}");
        assert_eq!(super::quoted("a\"b"), "\"a\\\"b\"");
    }
}
