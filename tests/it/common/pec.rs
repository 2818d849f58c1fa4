//! The Ministry's PEC mailbox for the tests: Debian's Dovecot over IMAP
//! (`scripts/pec_mailbox.py`), and receipts dropped into its Maildir in the
//! format of the PEC technical rules (a `daticert.xml` part).
use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

pub struct Mailbox {
    child: Child,
    pub url: String,
    maildir: PathBuf,
    _dir: tempfile::TempDir,
}

impl Mailbox {
    pub fn start() -> Mailbox {
        let dir = tempfile::tempdir().expect("mailbox dir");
        let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/pec_mailbox.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 scripts/pec_mailbox.py");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("its port");
        let mut parts = line.split_whitespace().skip(1);
        let port = parts.next().expect("port").to_string();
        let maildir = PathBuf::from(parts.next().expect("maildir"));
        Mailbox { child, url: format!("imap://ministero:pec-test@127.0.0.1:{port}/"), maildir, _dir: dir }
    }

    /// A message arrives in the mailbox.
    pub fn deliver(&self, name: &str, raw: &str) {
        let tmp = self.maildir.join("tmp").join(name);
        std::fs::write(&tmp, raw).expect("write");
        std::fs::rename(&tmp, self.maildir.join("new").join(name)).expect("deliver");
    }

    /// A receipt of `kind` (`accettazione`, `avvenuta-consegna`, …) for the
    /// message `message_id` to `to`, dated `day` (dd/mm/yyyy) `time`, Italian winter time.
    pub fn receipt(&self, kind: &str, message_id: &str, to: &str, day: &str, time: &str, identifier: &str) {
        use base64::Engine;
        let msgid = message_id.replace('<', "&lt;").replace('>', "&gt;");
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<postacert tipo=\"{kind}\" errore=\"nessuno\"><intestazione>\
             <mittente>ministero@pec.lavoro.example.it</mittente><destinatari tipo=\"certificato\">{to}</destinatari>\
             <risposte>ministero@pec.lavoro.example.it</risposte><oggetto>Modulo</oggetto></intestazione><dati>\
             <gestore-emittente>Gestore di prova</gestore-emittente><data zona=\"+0100\"><giorno>{day}</giorno>\
             <ora>{time}</ora></data><identificativo>{identifier}</identificativo><msgid>{msgid}</msgid>\
             <consegna>{to}</consegna></dati></postacert>"
        );
        let subject = if kind == "accettazione" { "ACCETTAZIONE" } else { "CONSEGNA" };
        let raw = format!(
            "From: posta-certificata@pec.gestore.example\r\nTo: ministero@pec.lavoro.example.it\r\n\
             Subject: {subject}: Modulo\r\nX-Ricevuta: {kind}\r\nX-Riferimento-Message-ID: {message_id}\r\n\
             MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"ricevuta\"\r\n\r\n\
             --ricevuta\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nRicevuta di {kind}\r\n\
             --ricevuta\r\nContent-Type: application/xml; name=\"daticert.xml\"\r\n\
             Content-Disposition: attachment; filename=\"daticert.xml\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n\
             --ricevuta--\r\n",
            base64::engine::general_purpose::STANDARD.encode(xml)
        );
        self.deliver(&format!("{identifier}.eml"), &raw);
    }
}

impl Drop for Mailbox {
    fn drop(&mut self) {
        // Closing the script's input stops Dovecot and then the script;
        // killing the script alone would leave Dovecot running.
        drop(self.child.stdin.take());
        for _ in 0..100 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
