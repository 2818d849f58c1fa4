//! Outgoing mail: SMTP when `SL_SMTP_URL` is set, otherwise a file outbox
//! under the data directory (`data/outbox/*.eml`) that a developer can read.
//! Messages are written in the recipient's language, composed once (with a
//! stable Message-ID) and queued in the [`outbox`], whose worker sends them.
pub mod imap;
pub mod outbox;
pub mod pec;
pub mod smime;

use crate::i18n::Lang;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;

/// How mail leaves, and as whom; with the Ministry's PEC mailbox beside it
/// when one is configured (`SL_PEC_SMTP_URL`, `SL_PEC_FROM`): messages that
/// need a proof of delivery leave from there.
#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    pec: Option<Box<Mailer>>,
}

#[derive(Clone)]
enum Transport {
    Outbox(PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

/// A file sent with a message.
#[derive(Clone, Debug)]
pub struct Attachment {
    pub file_name: String,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("mail configuration: {0}")]
    Config(String),
    /// Not an address a message can go to: it never will.
    #[error("mail address: {0}")]
    Address(String),
    /// The receiving server refused it for good (a 5xx answer).
    #[error("refused: {0}")]
    Refused(String),
    /// Not sent this time (server down, timeout, 4xx): try again later.
    #[error("mail: {0}")]
    Send(String),
}

impl MailError {
    /// How a refusal and a bad address start when written (the outbox keeps
    /// the last error as text and tells a refusal by it).
    pub const REFUSED: &'static str = "refused: ";
    pub const ADDRESS: &'static str = "mail address: ";

    /// Whether another attempt could ever succeed.
    pub fn is_permanent(&self) -> bool {
        matches!(self, MailError::Address(_) | MailError::Refused(_) | MailError::Config(_))
    }
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.transport {
            Transport::Outbox(dir) => write!(f, "Mailer::Outbox({})", dir.display()),
            Transport::Smtp(_) => f.write_str("Mailer::Smtp"),
        }?;
        if self.pec.is_some() {
            f.write_str(" with PEC")?;
        }
        Ok(())
    }
}

/// An SMTP transport whose sends never outlast the outbox's claim on a row (5 minutes).
fn smtp(url: &str, setting: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>, MailError> {
    Ok(AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .map_err(|e| MailError::Config(format!("{setting}: {e}")))?
        .timeout(Some(std::time::Duration::from_secs(30)))
        .build())
}

impl Mailer {
    pub fn from_config(config: &crate::config::Config) -> Result<Mailer, MailError> {
        let from: Mailbox = config.mail_from.parse().map_err(|e| MailError::Config(format!("SL_MAIL_FROM: {e}")))?;
        let transport = match &config.smtp_url {
            Some(url) => Transport::Smtp(smtp(url, "SL_SMTP_URL")?),
            None => {
                let dir = config.data_dir.join("outbox");
                std::fs::create_dir_all(&dir).map_err(|e| MailError::Config(format!("{}: {e}", dir.display())))?;
                Transport::Outbox(dir)
            }
        };
        let pec = match (&config.pec_smtp_url, &config.pec_from) {
            (Some(url), Some(address)) => Some(Box::new(Mailer {
                transport: Transport::Smtp(smtp(url, "SL_PEC_SMTP_URL")?),
                from: address.parse().map_err(|e| MailError::Config(format!("SL_PEC_FROM: {e}")))?,
                pec: None,
            })),
            (None, None) => None,
            _ => return Err(MailError::Config("SL_PEC_SMTP_URL and SL_PEC_FROM go together".into())),
        };
        Ok(Mailer { transport, from, pec })
    }

    /// The sender, as every message gives it.
    pub fn from(&self) -> &Mailbox {
        &self.from
    }

    /// What messages needing a proof of delivery are composed with and
    /// sent by: the PEC mailbox, or (without one) this mailer.
    pub fn pec(&self) -> &Mailer {
        self.pec.as_deref().unwrap_or(self)
    }

    /// Composes `subject` and `body` (message keys with their arguments) to
    /// `to`, in `lang`, with a file attached if any: the whole message, ready
    /// to be queued and sent as is on every attempt.
    pub fn compose(
        &self,
        to: &str,
        lang: Lang,
        subject: &str,
        body: &str,
        args: &[(&'static str, String)],
        attachment: Option<&Attachment>,
    ) -> Result<Composed, MailError> {
        use lettre::message::{MultiPart, SinglePart};
        let to_box: Mailbox = to.parse().map_err(|e| MailError::Address(format!("{to}: {e}")))?;
        let from = self.from().clone();
        let domain = from.email.domain().to_string();
        let message_id = format!("<{}@{domain}>", uuid::Uuid::new_v4().simple());
        let text = format!("{}\n\n--\n{}\n", lang.t_args(body, args), lang.t("mail-signature"));
        let builder = Message::builder()
            .from(from.clone())
            .to(to_box.clone())
            .subject(lang.t_args(subject, args))
            .message_id(Some(message_id.clone()));
        let message = match attachment {
            None => builder.header(ContentType::TEXT_PLAIN).body(text),
            Some(a) => {
                let kind = ContentType::parse(a.mime).map_err(|e| MailError::Send(e.to_string()))?;
                builder.multipart(
                    MultiPart::mixed()
                        .singlepart(SinglePart::plain(text))
                        .singlepart(lettre::message::Attachment::new(a.file_name.clone()).body(a.bytes.clone(), kind)),
                )
            }
        }
        .map_err(|e| MailError::Send(e.to_string()))?;
        Ok(Composed {
            from: from.email.to_string(),
            to: to_box.email.to_string(),
            message_id,
            bytes: message.formatted(),
        })
    }

    /// Sends a composed message as it is.
    pub async fn send_raw(&self, from: &str, to: &str, bytes: &[u8]) -> Result<(), MailError> {
        let parse = |a: &str| a.parse::<lettre::Address>().map_err(|e| MailError::Address(format!("{a}: {e}")));
        let envelope = lettre::address::Envelope::new(Some(parse(from)?), vec![parse(to)?])
            .map_err(|e| MailError::Address(e.to_string()))?;
        match &self.transport {
            Transport::Outbox(dir) => {
                AsyncFileTransport::<Tokio1Executor>::new(dir)
                    .send_raw(&envelope, bytes)
                    .await
                    .map_err(|e| MailError::Send(e.to_string()))?;
            }
            Transport::Smtp(transport) => {
                transport.send_raw(&envelope, bytes).await.map_err(|e| {
                    // Only a refusal of this recipient is for good (no such
                    // mailbox, not local, a bad address): a 5xx to our login or
                    // our sender is ours to fix, and the message waits for it.
                    let code = e.status().map(|c| c.to_string());
                    if e.is_permanent() && matches!(code.as_deref(), Some("550" | "551" | "553")) {
                        MailError::Refused(e.to_string())
                    } else {
                        MailError::Send(e.to_string())
                    }
                })?;
            }
        }
        Ok(())
    }
}

/// A message composed for sending: envelope, stable Message-ID and bytes.
#[derive(Clone, Debug)]
pub struct Composed {
    pub from: String,
    pub to: String,
    pub message_id: String,
    pub bytes: Vec<u8>,
}
