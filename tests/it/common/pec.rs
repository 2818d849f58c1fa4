//! The Ministry's PEC mailbox for the tests: Debian's Dovecot over IMAP
//! (`scripts/pec_mailbox.py`), and receipts dropped into its Maildir in the
//! format of the PEC technical rules (a `daticert.xml` part), signed by a
//! provider of the tests' own (S/MIME), as a real provider signs them.
use openssl::asn1::Asn1Time;
use openssl::bn::BigNum;
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkcs7::{Pkcs7, Pkcs7Flags};
use openssl::pkey::{PKey, Private};
use openssl::stack::Stack;
use openssl::x509::extension::{BasicConstraints, ExtendedKeyUsage, KeyUsage};
use openssl::x509::{X509Builder, X509NameBuilder, X509};
use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

pub struct Mailbox {
    child: Child,
    pub url: String,
    maildir: PathBuf,
    /// The trusted providers' certificates (`SL_PEC_TRUST`): the one below.
    pub trust: PathBuf,
    /// The PEC provider that signs the receipts, as a real one does (S/MIME).
    pub provider: Provider,
    _dir: tempfile::TempDir,
}

/// A PEC provider: its key and (self-signed) certificate.
pub struct Provider {
    key: PKey<Private>,
    cert: X509,
}

/// What a test certificate is.
enum Kind {
    /// A provider's signing certificate, valid until `days` from now (negative: expired).
    Signer { days: i64 },
    /// A provider's authority, which issues certificates.
    Authority,
}

impl Provider {
    pub fn new(name: &str) -> Provider {
        Provider::make(name, None, Kind::Signer { days: 365 })
    }

    /// A provider whose certificate expired yesterday.
    pub fn expired(name: &str) -> Provider {
        Provider::make(name, None, Kind::Signer { days: -1 })
    }

    /// A provider's certification authority (put on a list, it vouches for
    /// what it issues, not for its customers' signatures on receipts).
    pub fn authority(name: &str) -> Provider {
        Provider::make(name, None, Kind::Authority)
    }

    /// An S/MIME certificate `authority` issued to a customer of its own.
    pub fn customer_of(authority: &Provider, name: &str) -> Provider {
        Provider::make(name, Some(authority), Kind::Signer { days: 365 })
    }

    fn make(name: &str, issuer: Option<&Provider>, kind: Kind) -> Provider {
        let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).expect("P-256");
        let key = PKey::from_ec_key(EcKey::generate(&group).expect("key")).expect("key");
        let mut subject = X509NameBuilder::new().expect("name");
        subject.append_entry_by_text("O", name).expect("O");
        subject.append_entry_by_text("CN", &format!("{name} - firma ricevute")).expect("CN");
        let subject = subject.build();
        let mut cert = X509Builder::new().expect("cert");
        cert.set_version(2).expect("v3");
        let serial = BigNum::from_u32(rand_serial()).and_then(|n| n.to_asn1_integer()).expect("serial");
        cert.set_serial_number(&serial).expect("serial");
        cert.set_subject_name(&subject).expect("subject");
        cert.set_issuer_name(issuer.map_or(&subject, |i| i.cert.subject_name())).expect("issuer");
        cert.set_pubkey(&key).expect("key");
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("now").as_secs() as i64;
        let days = match kind {
            Kind::Signer { days } => days,
            Kind::Authority => 3650,
        };
        let at = |d: i64| Asn1Time::from_unix(now + d * 86_400).expect("time");
        cert.set_not_before(&at(days.min(0) - 30)).expect("from");
        cert.set_not_after(&at(days)).expect("until");
        match kind {
            Kind::Authority => {
                cert.append_extension(BasicConstraints::new().critical().ca().build().expect("bc")).expect("bc");
                cert.append_extension(KeyUsage::new().critical().key_cert_sign().crl_sign().build().expect("ku"))
                    .expect("ku");
            }
            Kind::Signer { .. } => {
                let usage = KeyUsage::new().critical().digital_signature().non_repudiation().build().expect("ku");
                cert.append_extension(usage).expect("ku");
                cert.append_extension(ExtendedKeyUsage::new().email_protection().build().expect("eku")).expect("eku");
            }
        }
        let signer = issuer.map_or(&key, |i| &i.key);
        cert.sign(signer, MessageDigest::sha256()).expect("signed");
        Provider { key, cert: cert.build() }
    }

    pub fn pem(&self) -> Vec<u8> {
        self.cert.to_pem().expect("pem")
    }

    /// `entity` signed as S/MIME (multipart/signed, CRLF), under `headers`.
    pub fn sign(&self, headers: &str, entity: &str) -> String {
        let flags = Pkcs7Flags::DETACHED;
        let none = Stack::new().expect("stack");
        let signed = Pkcs7::sign(&self.cert, &self.key, &none, entity.as_bytes(), flags).expect("signed");
        let smime = signed.to_smime(entity.as_bytes(), flags | Pkcs7Flags::CRLFEOL).expect("smime");
        format!("{headers}{}", String::from_utf8(smime).expect("ascii"))
    }
}

fn rand_serial() -> u32 {
    let mut bytes = [0u8; 4];
    openssl::rand::rand_bytes(&mut bytes).expect("random");
    u32::from_be_bytes(bytes) >> 1
}

/// A `daticert.xml` of `kind` (`accettazione`, `avvenuta-consegna`,
/// `posta-certificata`…), dated `day` (dd/mm/yyyy) `time`, Italian winter time.
fn daticert(kind: &str, message_id: &str, to: &str, day: &str, time: &str, identifier: &str) -> String {
    let msgid = message_id.replace('<', "&lt;").replace('>', "&gt;");
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<postacert tipo=\"{kind}\" errore=\"nessuno\"><intestazione>\
         <mittente>ministero@pec.lavoro.example.it</mittente><destinatari tipo=\"certificato\">{to}</destinatari>\
         <risposte>ministero@pec.lavoro.example.it</risposte><oggetto>Modulo</oggetto></intestazione><dati>\
         <gestore-emittente>Gestore di prova</gestore-emittente><data zona=\"+0100\"><giorno>{day}</giorno>\
         <ora>{time}</ora></data><identificativo>{identifier}</identificativo><msgid>{msgid}</msgid>\
         <consegna>{to}</consegna></dati></postacert>"
    )
}

/// The entity a provider signs: a text, the original message (if it carries
/// one) and the `daticert.xml`, as the PEC technical rules lay them out.
fn entity(text: &str, original: Option<&str>, xml: &str) -> String {
    use base64::Engine;
    let original = original.map_or(String::new(), |m| {
        format!(
            "--ricevuta\r\nContent-Type: message/rfc822; name=\"postacert.eml\"\r\n\
             Content-Disposition: inline; filename=\"postacert.eml\"\r\n\r\n{m}\r\n"
        )
    });
    format!(
        "Content-Type: multipart/mixed; boundary=\"ricevuta\"\r\n\r\n\
         --ricevuta\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n{text}\r\n{original}\
         --ricevuta\r\nContent-Type: application/xml; name=\"daticert.xml\"\r\n\
         Content-Disposition: attachment; filename=\"daticert.xml\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n\
         --ricevuta--\r\n",
        base64::engine::general_purpose::STANDARD.encode(xml)
    )
}

fn receipt_headers(kind: &str, message_id: &str) -> String {
    let subject = if kind == "accettazione" { "ACCETTAZIONE" } else { "CONSEGNA" };
    format!(
        "From: posta-certificata@pec.gestore.example\r\nTo: ministero@pec.lavoro.example.it\r\n\
         Subject: {subject}: Modulo\r\nX-Ricevuta: {kind}\r\nX-Riferimento-Message-ID: {message_id}\r\n"
    )
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
        let provider = Provider::new("Gestore di prova");
        let trust = dir.path().join("gestori-pec.pem");
        std::fs::write(&trust, provider.pem()).expect("trust");
        Mailbox {
            child,
            url: format!("imap://ministero:pec-test@127.0.0.1:{port}/"),
            maildir,
            trust,
            provider,
            _dir: dir,
        }
    }

    /// Puts `provider` on the list of trusted providers too.
    pub fn trust_also(&self, provider: &Provider) {
        let mut pem = std::fs::read(&self.trust).expect("the list");
        pem.extend(provider.pem());
        std::fs::write(&self.trust, pem).expect("the list");
    }

    /// A message arrives in the mailbox.
    pub fn deliver(&self, name: &str, raw: &str) {
        let tmp = self.maildir.join("tmp").join(name);
        std::fs::write(&tmp, raw).expect("write");
        std::fs::rename(&tmp, self.maildir.join("new").join(name)).expect("deliver");
    }

    /// A receipt of `kind` (`accettazione`, `avvenuta-consegna`, …) for the
    /// message `message_id` to `to`, dated `day` (dd/mm/yyyy) `time`,
    /// Italian winter time, signed by the trusted provider.
    pub fn receipt(&self, kind: &str, message_id: &str, to: &str, day: &str, time: &str, identifier: &str) {
        self.receipt_by(&self.provider, kind, message_id, to, day, time, identifier);
    }

    /// The same, signed by `provider`.
    #[allow(clippy::too_many_arguments)]
    pub fn receipt_by(
        &self,
        provider: &Provider,
        kind: &str,
        message_id: &str,
        to: &str,
        day: &str,
        time: &str,
        identifier: &str,
    ) {
        let xml = daticert(kind, message_id, to, day, time, identifier);
        let signed =
            provider.sign(&receipt_headers(kind, message_id), &entity(&format!("Ricevuta di {kind}"), None, &xml));
        self.deliver(&format!("{identifier}.eml"), &signed);
    }

    /// The same, not signed at all (in the format before the signature).
    pub fn unsigned_receipt(&self, kind: &str, message_id: &str, to: &str, day: &str, time: &str, identifier: &str) {
        let xml = daticert(kind, message_id, to, day, time, identifier);
        let body = entity(&format!("Ricevuta di {kind}"), None, &xml);
        self.deliver(
            &format!("{identifier}.eml"),
            &format!("{}MIME-Version: 1.0\r\n{body}", receipt_headers(kind, message_id)),
        );
    }

    /// Ordinary PEC mail from someone to the Ministry's mailbox: the trusted
    /// provider's transport envelope (its own `daticert.xml`, of type
    /// `posta-certificata`) around the sender's message, which carries a
    /// `daticert.xml` of its own claiming a delivery.
    pub fn envelope_claiming(&self, kind: &str, message_id: &str, to: &str, day: &str, time: &str, identifier: &str) {
        let claim = daticert(kind, message_id, to, day, time, identifier);
        let sent = format!(
            "From: qualcuno@pec.example.it\r\nSubject: ricevuta\r\nMIME-Version: 1.0\r\n{}",
            entity("Ecco la ricevuta", None, &claim)
                .replace("ricevuta\"", "interna\"")
                .replace("--ricevuta", "--interna")
        );
        let envelope =
            daticert("posta-certificata", "<inviato@pec.example.it>", to, day, time, &format!("env-{identifier}"));
        let headers = "From: posta-certificata@pec.gestore.example\r\nTo: ministero@pec.lavoro.example.it\r\n\
                       Subject: POSTA CERTIFICATA: ricevuta\r\nX-Trasporto: posta-certificata\r\n";
        let signed = self.provider.sign(headers, &entity("Messaggio di posta certificata", Some(&sent), &envelope));
        self.deliver(&format!("{identifier}.eml"), &signed);
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
