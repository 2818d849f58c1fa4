//! Delivery with proof. PEC is SMTP plus signed receipts: the sender's
//! provider answers each message with a *ricevuta di accettazione*, the
//! recipient's provider with a *ricevuta di avvenuta consegna* (or of an
//! error), each carrying `daticert.xml` (regole tecniche, DM 2/11/2005) that
//! names the original message by its Message-ID. The portal reads them from
//! the Ministry's PEC mailbox (`SL_PEC_IMAP_URL`) and keeps them with the
//! message they prove. A receipt counts only when its provider's S/MIME
//! signature verifies against the providers the portal trusts
//! (`SL_PEC_TRUST`), and only the `daticert.xml` the provider signed is
//! read. The mailbox is the PEC provider's, an external border:
//! [`PecMailbox`], with the real IMAP implementation.
use super::smime::{Trust, Untrusted};
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

/// Where an entity's header block ends (after its last line's line end)
/// and its body begins (after the blank line); `None` without a blank line.
fn split_head(raw: &[u8]) -> Option<(usize, usize)> {
    [&b"\r\n\r\n"[..], &b"\n\n"[..]]
        .into_iter()
        .filter_map(|blank| raw.windows(blank.len()).position(|w| w == blank).map(|i| (i, blank.len())))
        .min()
        .map(|(i, n)| (i + n / 2, i + n))
}

/// An entity's header lines (unfolded) and its body.
fn entity(text: &str) -> (Vec<String>, &str) {
    let (head, body) = match split_head(text.as_bytes()) {
        Some((head, body)) => (&text[..head], &text[body..]),
        None => (text, ""),
    };
    let mut lines: Vec<String> = Vec::new();
    for line in head.lines() {
        match lines.last_mut() {
            Some(last) if line.starts_with([' ', '\t']) => {
                last.push(' ');
                last.push_str(line.trim());
            }
            _ => lines.push(line.to_string()),
        }
    }
    (lines, body)
}

/// The value of header `name`.
fn header<'a>(lines: &'a [String], name: &str) -> Option<&'a str> {
    lines
        .iter()
        .find_map(|l| l.split_once(':').filter(|(n, _)| n.trim().eq_ignore_ascii_case(name)).map(|(_, v)| v.trim()))
}

/// A parameter of a header's value (`boundary="b"`, `name=daticert.xml`).
fn param(value: &str, name: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim().trim_matches('"').to_string())
    })
}

/// The parts directly in a multipart body: not those of a message or a
/// multipart nested in one.
fn parts<'a>(body: &'a str, boundary: &str) -> Vec<&'a str> {
    let (delimiter, last) = (format!("--{boundary}"), format!("--{boundary}--"));
    let mut out = Vec::new();
    let (mut start, mut at) = (None, 0);
    for line in body.split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == delimiter || bare == last {
            if let Some(s) = start {
                out.push(&body[s..at]);
            }
            if bare == last {
                break;
            }
            start = Some(at + line.len());
        }
        at += line.len();
    }
    out
}

/// The `daticert.xml` part of a receipt, decoded: a part of the signed
/// entity itself. One inside the original message a receipt or a transport
/// envelope carries is the sender's words, not the provider's.
fn daticert(signed: &[u8]) -> Option<String> {
    let (head, body) = entity(std::str::from_utf8(signed).ok()?);
    let boundary = param(header(&head, "content-type")?, "boundary")?;
    parts(body, &boundary).into_iter().find_map(|part| {
        let (head, body) = entity(part);
        let named = ["content-type", "content-disposition"].into_iter().filter_map(|h| header(&head, h)).any(|v| {
            param(v, "name").or_else(|| param(v, "filename")).is_some_and(|n| n.eq_ignore_ascii_case("daticert.xml"))
        });
        if !named {
            return None;
        }
        if header(&head, "content-transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("base64")) {
            use base64::Engine;
            let clean: String = body.chars().filter(|c| !c.is_whitespace()).collect();
            String::from_utf8(base64::engine::general_purpose::STANDARD.decode(clean).ok()?).ok()
        } else {
            Some(body.to_string())
        }
    })
}

/// A receipt's facts from the entity its provider signed (see
/// [`Trust::verify`]); `None` for anything that is not a receipt.
pub fn parse(signed: &[u8]) -> Option<Receipt> {
    let xml = daticert(signed)?;
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

/// The Ministry's PEC mailbox: the messages not taken yet (with an id of
/// the mailbox's), marked taken once kept.
pub trait PecMailbox: Send + Sync {
    fn unseen(&self) -> Result<Vec<(u32, Vec<u8>)>, super::imap::ImapError>;
    fn mark_seen(&self, ids: &[u32]) -> Result<(), super::imap::ImapError>;
}

/// The mailbox over IMAP (`SL_PEC_IMAP_URL`).
pub struct ImapMailbox {
    pub url: String,
}

impl PecMailbox for ImapMailbox {
    fn unseen(&self) -> Result<Vec<(u32, Vec<u8>)>, super::imap::ImapError> {
        super::imap::unseen(&self.url)
    }

    fn mark_seen(&self, ids: &[u32]) -> Result<(), super::imap::ImapError> {
        super::imap::mark_seen(&self.url, ids)
    }
}

/// Keeps the receipts (each once, by its identifier) with the message that
/// brought each, as its provider signed it; returns how many are new.
pub fn store(conn: &mut AnyConnection, receipts: &[(Receipt, Vec<u8>)], now: NaiveDateTime) -> QueryResult<usize> {
    let mut new = 0;
    for (x, original) in receipts {
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
                r::original.eq(original),
            ))
            .execute(conn)?;
        new += 1;
    }
    Ok(new)
}

/// A receipt kept for a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kept {
    pub kind: ReceiptKind,
    pub at: NaiveDateTime,
    /// How a link names it (see [`reference`]), when the signed receipt
    /// itself is kept.
    pub reference: Option<String>,
}

/// A short name for the receipt with `identifier`: the provider's
/// identifiers are long and may hold any character.
pub fn reference(identifier: &str) -> String {
    crate::kernel::token::sha256_hex(identifier)[..16].to_string()
}

/// The receipts of the message with `message_id`, oldest first.
pub fn of_message(conn: &mut AnyConnection, message_id: &str) -> QueryResult<Vec<Kept>> {
    let rows: Vec<(String, NaiveDateTime, String, bool)> = r::table
        .filter(r::message_id.eq(message_id))
        .order(r::at.asc())
        .select((r::kind, r::at, r::identifier, r::original.is_not_null()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(k, at, id, signed)| {
            Some(Kept { kind: ReceiptKind::parse(&k)?, at, reference: signed.then(|| reference(&id)) })
        })
        .collect())
}

/// The signed receipt named `reference` among those of the messages
/// `message_ids`, as its provider sent it.
pub fn original(
    conn: &mut AnyConnection,
    message_ids: &[String],
    reference_of: &str,
) -> QueryResult<Option<(ReceiptKind, Vec<u8>)>> {
    let kept: Vec<String> = r::table
        .filter(r::message_id.eq_any(message_ids))
        .filter(r::original.is_not_null())
        .select(r::identifier)
        .load(conn)?;
    let Some(id) = kept.into_iter().find(|id| reference(id) == reference_of) else { return Ok(None) };
    let (kind, original): (String, Option<Vec<u8>>) = r::table.find(id).select((r::kind, r::original)).first(conn)?;
    Ok(ReceiptKind::parse(&kind).zip(original))
}

/// Takes the new receipts from `mailbox` and keeps those their provider
/// signed (off the async threads). A message is marked taken only once kept
/// (or found no receipt): a database error, or a receipt no listed provider
/// signed, leaves it to the next pass (a renewed list may trust it).
pub async fn collect(
    pool: &crate::db::DbPool,
    mailbox: std::sync::Arc<dyn PecMailbox>,
    trust: std::sync::Arc<Trust>,
    now: NaiveDateTime,
) -> Result<usize, crate::error::AppError> {
    let reading = mailbox.clone();
    let (receipts, done) = tokio::task::spawn_blocking(move || {
        let raw = reading.unseen()?;
        let (mut receipts, mut done) = (Vec::new(), Vec::new());
        let (mut others, mut untrusted) = (0_usize, 0_u64);
        for (id, message) in raw {
            match trust.verify(&message) {
                Ok(signed) => {
                    match parse(&signed) {
                        Some(r) => receipts.push((r, as_sent(&message))),
                        None => others += 1,
                    }
                    done.push(id);
                }
                // Ordinary mail (and anomalies) in the mailbox: no receipt.
                Err(Untrusted::NotSigned) => {
                    others += 1;
                    done.push(id);
                }
                Err(e @ Untrusted::Invalid(_)) => {
                    untrusted += 1;
                    tracing::warn!(error = %e, "PEC mailbox: a signed message no listed provider signed, left unread");
                }
            }
        }
        if others > 0 {
            tracing::info!(skipped = others, "PEC mailbox: messages that are not receipts");
        }
        if untrusted > 0 {
            metrics::counter!("sl_pec_untrusted_total").increment(untrusted);
        }
        Ok::<_, super::imap::ImapError>((receipts, done))
    })
    .await
    .map_err(|e| crate::error::AppError::other("reading the PEC mailbox", e))?
    .map_err(|e| crate::error::AppError::other("reading the PEC mailbox", e))?;
    let new = crate::db::with_conn(pool, move |c| store(c, &receipts, now)).await?;
    tokio::task::spawn_blocking(move || mailbox.mark_seen(&done))
        .await
        .map_err(|e| crate::error::AppError::other("marking the PEC mailbox's messages read", e))?
        .map_err(|e| crate::error::AppError::other("marking the PEC mailbox's messages read", e))?;
    Ok(new)
}

/// A receipt as its provider sent it: without the header fields the
/// Ministry's own mail servers added on arrival (their names and routes).
fn as_sent(raw: &[u8]) -> Vec<u8> {
    const ARRIVAL: [&[u8]; 4] = [b"received", b"return-path", b"delivered-to", b"x-original-to"];
    let Some((head_end, _)) = split_head(raw) else { return raw.to_vec() };
    let mut out = Vec::with_capacity(raw.len());
    let mut dropping = false;
    for line in raw[..head_end].split_inclusive(|b| *b == b'\n') {
        if !line.starts_with(b" ") && !line.starts_with(b"\t") {
            let name = line.split(|b| *b == b':').next().unwrap_or_default().trim_ascii();
            dropping = ARRIVAL.iter().any(|a| name.eq_ignore_ascii_case(a));
        }
        if !dropping {
            out.extend_from_slice(line);
        }
    }
    out.extend_from_slice(&raw[head_end..]);
    out
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

    #[test]
    fn a_receipt_is_kept_without_what_the_ministrys_servers_added() {
        let raw =
            "Return-Path: <posta-certificata@pec.gestore.example>\r\nDelivered-To: ministero@pec.lavoro.example.it\r\n\
                   Received: from mx.interno (10.0.0.1)\r\n\tby imap.interno; Wed, 2 Dec 2026 10:15:09 +0100\r\n\
                   From: posta-certificata@pec.gestore.example\r\nX-Ricevuta: avvenuta-consegna\r\n\r\n\
                   Received: in the body stays\r\n";
        let kept = String::from_utf8(super::as_sent(raw.as_bytes())).expect("text");
        assert_eq!(
            kept,
            "From: posta-certificata@pec.gestore.example\r\nX-Ricevuta: avvenuta-consegna\r\n\r\nReceived: in the body stays\r\n"
        );
    }

    /// Ordinary PEC mail: the provider's envelope (its `daticert.xml` says
    /// `posta-certificata`) around the sender's message, whose own
    /// `daticert.xml` claims a delivery. Only the envelope's counts.
    #[test]
    fn a_daticert_inside_the_carried_message_is_not_read() {
        let claim = "<postacert tipo=\"avvenuta-consegna\"><dati><data zona=\"+0100\"><giorno>02/12/2026</giorno>\
                     <ora>10:15:03</ora></data><identificativo>x</identificativo><msgid>a@b</msgid></dati></postacert>";
        let envelope = claim.replace("avvenuta-consegna", "posta-certificata");
        let raw = format!(
            "Content-Type: multipart/mixed;\r\n boundary=busta\r\n\r\n--busta\r\nContent-Type: text/plain\r\n\r\nPosta certificata\r\n\
             --busta\r\nContent-Type: message/rfc822; name=postacert.eml\r\n\r\nSubject: x\r\n\
             Content-Type: multipart/mixed; boundary=inner\r\n\r\n--inner\r\n\
             Content-Type: application/xml; name=\"daticert.xml\"\r\n\r\n{claim}\r\n--inner--\r\n\r\n\
             --busta\r\nContent-Type: application/xml; name=\"daticert.xml\"\r\n\r\n{envelope}\r\n--busta--\r\n"
        );
        assert!(parse(raw.as_bytes()).is_none(), "the envelope is no receipt, and the claim inside is not read");
        // The same claim as the provider's own part is read (folded header, unquoted boundary).
        let own = raw.replace(&envelope, claim);
        assert_eq!(parse(own.as_bytes()).map(|r| r.kind), Some(ReceiptKind::Delivery));
    }
}
