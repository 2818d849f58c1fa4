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
        let to: Mailbox = to.parse().map_err(|e| MailError::Send(format!("address: {e}")))?;
        let from = match self {
            Mailer::Outbox { from, .. } | Mailer::Smtp { from, .. } => from.clone(),
        };
        let text = format!("{}\n\n--\n{}\n", lang.t_args(body, args), lang.t("mail-signature"));
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(lang.t_args(subject, args))
            .header(ContentType::TEXT_PLAIN)
            .body(text)
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
