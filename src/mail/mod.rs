//! Outgoing mail: SMTP when `SL_SMTP_URL` is set, otherwise a file outbox
//! under the data directory (`data/outbox/*.eml`) that a developer can read.
//! Messages are written in the recipient's language.
use crate::i18n::Lang;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;

#[derive(Clone)]
pub enum Mailer {
    Outbox { dir: PathBuf, from: Mailbox },
    Smtp { transport: AsyncSmtpTransport<Tokio1Executor>, from: Mailbox },
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
    #[error("mail: {0}")]
    Send(String),
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mailer::Outbox { dir, .. } => write!(f, "Mailer::Outbox({})", dir.display()),
            Mailer::Smtp { .. } => f.write_str("Mailer::Smtp"),
        }
    }
}

impl Mailer {
    pub fn from_config(config: &crate::config::Config) -> Result<Mailer, MailError> {
        let from: Mailbox = config.mail_from.parse().map_err(|e| MailError::Config(format!("SL_MAIL_FROM: {e}")))?;
        match &config.smtp_url {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| MailError::Config(format!("SL_SMTP_URL: {e}")))?
                    .build();
                Ok(Mailer::Smtp { transport, from })
            }
            None => {
                let dir = config.data_dir.join("outbox");
                std::fs::create_dir_all(&dir).map_err(|e| MailError::Config(format!("{}: {e}", dir.display())))?;
                Ok(Mailer::Outbox { dir, from })
            }
        }
    }

    /// Sends `subject` and `body` (message keys with their arguments) to `to`, in `lang`.
    pub async fn send(
        &self,
        to: &str,
        lang: Lang,
        subject: &str,
        body: &str,
        args: &[(&'static str, String)],
    ) -> Result<(), MailError> {
        self.send_with(to, lang, subject, body, args, None).await
    }

    /// The same, with a file attached.
    pub async fn send_with(
        &self,
        to: &str,
        lang: Lang,
        subject: &str,
        body: &str,
        args: &[(&'static str, String)],
        attachment: Option<&Attachment>,
    ) -> Result<(), MailError> {
        use lettre::message::{MultiPart, SinglePart};
        let to: Mailbox = to.parse().map_err(|e| MailError::Send(format!("address: {e}")))?;
        let from = match self {
            Mailer::Outbox { from, .. } | Mailer::Smtp { from, .. } => from.clone(),
        };
        let text = format!("{}\n\n--\n{}\n", lang.t_args(body, args), lang.t("mail-signature"));
        let builder = Message::builder().from(from).to(to).subject(lang.t_args(subject, args));
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
        match self {
            Mailer::Outbox { dir, .. } => {
                AsyncFileTransport::<Tokio1Executor>::new(dir)
                    .send(message)
                    .await
                    .map_err(|e| MailError::Send(e.to_string()))?;
            }
            Mailer::Smtp { transport, .. } => {
                transport.send(message).await.map_err(|e| MailError::Send(e.to_string()))?;
            }
        }
        Ok(())
    }
}
