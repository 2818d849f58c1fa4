//! The module and the intermediary's paper delega as PDF, written with
//! `pdf-writer`: A4, the standard Helvetica (no font to embed), text in
//! WinAnsi. Each document declares its language and title and carries its
//! text in reading order; full structure tagging (PDF/UA) is not attempted,
//! which the README states.
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// A document as a title and lines (a line starting with `# ` is a heading).
pub struct Document {
    pub title: String,
    pub lang: &'static str,
    pub lines: Vec<String>,
}

/// Latin-1 / WinAnsi bytes for the standard fonts (what they cannot show becomes '?').
fn winansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            '€' => 0x80,
            '–' => 0x96,
            '—' => 0x97,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            c if (c as u32) < 256 => c as u32 as u8,
            _ => b'?',
        })
        .collect()
}

/// Breaks a line so that it fits the page (by characters: Helvetica averages ~0.5 em).
fn wrap(line: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for word in line.split(' ') {
        if !cur.is_empty() && cur.chars().count() + 1 + word.chars().count() > width {
            out.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    out.push(cur);
    out
}

pub fn render(doc: &Document) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let pages = Ref::new(2);
    let font = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let mut next = 6;
    // Lay the lines out on as many pages as they need.
    let mut laid: Vec<Vec<(bool, String)>> = vec![Vec::new()];
    let per_page = 48;
    for line in &doc.lines {
        let (heading, text) = match line.strip_prefix("# ") {
            Some(t) => (true, t),
            None => (false, line.as_str()),
        };
        for part in wrap(text, if heading { 70 } else { 90 }) {
            if laid.last().is_some_and(|p| p.len() >= per_page) {
                laid.push(Vec::new());
            }
            if let Some(p) = laid.last_mut() {
                p.push((heading, part));
            }
        }
    }
    let page_refs: Vec<(Ref, Ref)> = laid
        .iter()
        .map(|_| {
            let r = (Ref::new(next), Ref::new(next + 1));
            next += 2;
            r
        })
        .collect();
    pdf.catalog(catalog).pages(pages).lang(TextStr(doc.lang)).viewer_preferences().display_doc_title(true);
    pdf.document_info(info).title(TextStr(&doc.title)).producer(TextStr("Servizi Lavoro"));
    pdf.pages(pages).kids(page_refs.iter().map(|(p, _)| *p)).count(i32::try_from(page_refs.len()).unwrap_or(1));
    pdf.type1_font(font).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
    for (lines, (page_ref, content_ref)) in laid.iter().zip(&page_refs) {
        let mut page = pdf.page(*page_ref);
        page.media_box(Rect::new(0.0, 0.0, 595.0, 842.0)).parent(pages).contents(*content_ref);
        page.resources().fonts().pair(Name(b"F1"), font).pair(Name(b"F2"), bold);
        page.finish();
        let mut content = Content::new();
        let mut y = 800.0;
        for (heading, text) in lines {
            let (name, size) = if *heading { (Name(b"F2"), 13.0) } else { (Name(b"F1"), 10.0) };
            if *heading {
                y -= 6.0;
            }
            content.begin_text().set_font(name, size).next_line(50.0, y).show(Str(&winansi(text))).end_text();
            y -= if *heading { 19.0 } else { 15.0 };
        }
        pdf.stream(*content_ref, &content.finish());
    }
    pdf.finish()
}
