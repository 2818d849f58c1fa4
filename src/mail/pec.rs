//! Delivery with proof. PEC is SMTP plus signed receipts: the sender's
//! provider answers each message with a *ricevuta di accettazione*, the
//! recipient's provider with a *ricevuta di avvenuta consegna* (or of an
//! error), each carrying `daticert.xml` (regole tecniche, DM 2/11/2005) that
//! names the original message by its Message-ID. The portal reads them from
//! the Ministry's PEC mailbox (`SL_PEC_IMAP_URL`) and keeps them with the
//! message they prove. The mailbox is the PEC provider's, an external border:
//! [`PecMailbox`], with the real IMAP implementation.
use crate::db::schema::pec_receipts as r;
use crate::db::AnyConnection;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;

/// The kinds of receipt the portal tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReceiptKind {
    /// The sender's provider took the message.
    Acceptance,
    /// The sender's provider refused it.
    NonAcceptance,
    /// It reached the recipient's mailbox: the proof of delivery.
    Delivery,
    /// The recipient's provider could not deliver it.
    DeliveryError,
    /// No delivery yet after 12 hours (the provider's warning).
    DeliveryWarning,
}

impl ReceiptKind {
    pub const ALL: [ReceiptKind; 5] = [
        ReceiptKind::Acceptance,
        ReceiptKind::NonAcceptance,
        ReceiptKind::Delivery,
        ReceiptKind::DeliveryError,
        ReceiptKind::DeliveryWarning,
    ];

    /// Its `tipo` in `daticert.xml`.
    pub fn code(self) -> &'static str {
        match self {
            ReceiptKind::Acceptance => "accettazione",
            ReceiptKind::NonAcceptance => "non-accettazione",
            ReceiptKind::Delivery => "avvenuta-consegna",
            ReceiptKind::DeliveryError => "errore-consegna",
            ReceiptKind::DeliveryWarning => "preavviso-errore-consegna",
        }
    }

    pub fn parse(s: &str) -> Option<ReceiptKind> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// One receipt, as `daticert.xml` states it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub kind: ReceiptKind,
    /// The original message's Message-ID, with its angle brackets.
    pub message_id: String,
    /// Whose mailbox (delivery receipts).
    pub recipient: Option<String>,
    /// When (UTC).
    pub at: NaiveDateTime,
    /// The receipt's own identifier at the provider.
    pub identifier: String,
}

/// The `daticert.xml` part of a receipt message, decoded.
fn daticert(raw: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(raw);
    let at = text.find("daticert.xml")?;
    // The part's headers end at the first blank line after its name.
    let (head_end, sep) =
        [("\r\n\r\n", 4), ("\n\n", 2)].iter().filter_map(|(s, n)| text[at..].find(s).map(|i| (at + i, *n))).min()?;
    let head_start = text[..at].rfind("\n--").map_or(0, |i| i + 1);
    let headers = text[head_start..head_end].to_ascii_lowercase();
    let body_start = head_end + sep;
    let body_end = text[body_start..].find("\n--").map_or(text.len(), |i| body_start + i);
    let body = &text[body_start..body_end];
    if headers.contains("content-transfer-encoding: base64") {
        use base64::Engine;
        let clean: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        String::from_utf8(base64::engine::general_purpose::STANDARD.decode(clean).ok()?).ok()
    } else {
        Some(body.to_string())
    }
}

/// A receipt message's facts; `None` for anything that is not one.
pub fn parse(raw: &[u8]) -> Option<Receipt> {
    let xml = daticert(raw)?;
    let doc = roxmltree::Document::parse(xml.trim()).ok()?;
    let root = doc.root_element();
    if root.tag_name().name() != "postacert" {
        return None;
    }
    let kind = ReceiptKind::parse(root.attribute("tipo")?)?;
    let find = |name: &str| doc.descendants().find(|n| n.has_tag_name(name));
    let text = |name: &str| find(name).and_then(|n| n.text()).map(|t| t.trim().to_string());
    let data = find("data")?;
    let day = NaiveDate::parse_from_str(&text("giorno")?, "%d/%m/%Y").ok()?;
    let time = NaiveTime::parse_from_str(&text("ora")?, "%H:%M:%S").ok()?;
    // The zone as "+0100": what to subtract for UTC.
    let zone = data.attribute("zona").unwrap_or("+0000");
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let digits: String = zone.chars().filter(char::is_ascii_digit).collect();
    let (h, m) = (digits.get(0..2)?.parse::<i64>().ok()?, digits.get(2..4)?.parse::<i64>().ok()?);
    let at = day.and_time(time) - chrono::Duration::minutes(sign * (h * 60 + m));
    let mut message_id = text("msgid")?;
    if !message_id.starts_with('<') {
        message_id = format!("<{message_id}>");
    }
    Some(Receipt { kind, message_id, recipient: text("consegna"), at, identifier: text("identificativo")? })
}

/// The Ministry's PEC mailbox: the receipts not taken yet.
pub trait PecMailbox: Send + Sync {
    fn take(&self) -> Result<Vec<Vec<u8>>, super::imap::ImapError>;
}

/// The mailbox over IMAP (`SL_PEC_IMAP_URL`).
pub struct ImapMailbox {
    pub url: String,
}

impl PecMailbox for ImapMailbox {
    fn take(&self) -> Result<Vec<Vec<u8>>, super::imap::ImapError> {
        super::imap::take_unseen(&self.url)
    }
}

/// Keeps the receipts (each once, by its identifier); returns how many are new.
pub fn store(conn: &mut AnyConnection, receipts: &[Receipt], now: NaiveDateTime) -> QueryResult<usize> {
    let mut new = 0;
    for x in receipts {
        let known = r::table.find(&x.identifier).count().get_result::<i64>(conn)? > 0;
        if known {
            continue;
        }
        diesel::insert_into(r::table)
            .values((
                r::identifier.eq(&x.identifier),
                r::message_id.eq(&x.message_id),
                r::kind.eq(x.kind.code()),
                r::recipient.eq(&x.recipient),
                r::at.eq(x.at),
                r::received_at.eq(now),
            ))
            .execute(conn)?;
        new += 1;
    }
    Ok(new)
}

/// The receipts of the message with `message_id`, oldest first.
pub fn of_message(conn: &mut AnyConnection, message_id: &str) -> QueryResult<Vec<(ReceiptKind, NaiveDateTime)>> {
    let rows: Vec<(String, NaiveDateTime)> =
        r::table.filter(r::message_id.eq(message_id)).order(r::at.asc()).select((r::kind, r::at)).load(conn)?;
    Ok(rows.into_iter().filter_map(|(k, at)| ReceiptKind::parse(&k).map(|k| (k, at))).collect())
}

/// Takes the new receipts from `mailbox` and keeps them (off the async threads).
pub async fn collect(
    pool: &crate::db::DbPool,
    mailbox: std::sync::Arc<dyn PecMailbox>,
    now: NaiveDateTime,
) -> Result<usize, crate::error::AppError> {
    let raw = tokio::task::spawn_blocking(move || mailbox.take())
        .await
        .map_err(|e| crate::error::AppError::other("reading the PEC mailbox", e))?
        .map_err(|e| crate::error::AppError::other("reading the PEC mailbox", e))?;
    let receipts: Vec<Receipt> = raw.iter().filter_map(|m| parse(m)).collect();
    if raw.len() > receipts.len() {
        tracing::info!(skipped = raw.len() - receipts.len(), "PEC mailbox: messages that are not receipts");
    }
    Ok(crate::db::with_conn(pool, move |c| store(c, &receipts, now)).await?)
}

#[cfg(test)]
mod tests {
    use super::{parse, ReceiptKind};

    #[test]
    fn a_delivery_receipt_reads_back_in_utc() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<postacert tipo="avvenuta-consegna" errore="nessuno"><intestazione><mittente>ministero@pec.example.it</mittente>
<destinatari tipo="certificato">azienda@pec.example.it</destinatari><risposte>ministero@pec.example.it</risposte>
<oggetto>Modulo</oggetto></intestazione><dati><gestore-emittente>Gestore</gestore-emittente>
<data zona="+0100"><giorno>02/12/2026</giorno><ora>10:15:03</ora></data><identificativo>opec.123@pec.example.it</identificativo>
<msgid>&lt;abc@servizi-lavoro&gt;</msgid><consegna>azienda@pec.example.it</consegna></dati></postacert>"#;
        use base64::Engine;
        let raw = format!(
            "Subject: CONSEGNA: Modulo\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nRicevuta\r\n--b\r\nContent-Type: application/xml; name=\"daticert.xml\"\r\nContent-Disposition: attachment; filename=\"daticert.xml\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n--b--\r\n",
            base64::engine::general_purpose::STANDARD.encode(xml)
        );
        let r = parse(raw.as_bytes()).expect("a receipt");
        assert_eq!(r.kind, ReceiptKind::Delivery);
        assert_eq!(r.message_id, "<abc@servizi-lavoro>");
        assert_eq!(r.recipient.as_deref(), Some("azienda@pec.example.it"));
        assert_eq!(r.at.to_string(), "2026-12-02 09:15:03");
        assert!(parse(b"Subject: hello\r\n\r\nnot a receipt").is_none());
    }
}
