//! The module and the intermediary's paper delega as PDF, written with
//! `pdf-writer`: A4, the standard Helvetica (no font to embed), text in
//! WinAnsi. Each document declares its language and title and is tagged: a
//! structure tree of headings and paragraphs in reading order, each line's
//! text marked as its element's, and a version in another language (a
//! module's German one) a section with its own language, so a screen reader
//! reads it in the right order and voice. Not PDF/UA: that would need the
//! font embedded, which the README states.
use pdf_writer::types::{StructRole, TabOrder};
use pdf_writer::writers::StructTreeRoot;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// A document as a title and lines (a line starting with `# ` is a heading).
pub struct Document {
    pub title: String,
    pub lang: &'static str,
    pub lines: Vec<String>,
    /// The same document again in another language, after it.
    pub translation: Option<Translation>,
}

/// Lines in another language than the document's.
pub struct Translation {
    pub lang: &'static str,
    pub lines: Vec<String>,
}

/// A character's WinAnsi byte, for the standard fonts; `None` for one they cannot show.
fn winansi_byte(c: char) -> Option<u8> {
    match c {
        '€' => Some(0x80),
        '–' => Some(0x96),
        '—' => Some(0x97),
        '’' => Some(0x92),
        '“' => Some(0x93),
        '”' => Some(0x94),
        c => u8::try_from(u32::from(c)).ok(),
    }
}

/// Latin-1 / WinAnsi bytes for the standard fonts (what they cannot show
/// prints as '?'; the line's text is then given whole as `/ActualText`).
fn winansi(s: &str) -> Vec<u8> {
    s.chars().map(|c| winansi_byte(c).unwrap_or(b'?')).collect()
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

/// A line of the document as its structure sees it: a heading or a
/// paragraph, in the translation or not.
struct Block<'a> {
    role: StructRole,
    text: &'a str,
    translated: bool,
}

/// The blocks of one part's lines: the document's first heading is its
/// title (H1), the others its sections (H2). A translation is a level
/// deeper under its own heading: that heading H1, the translated title H2,
/// its sections H3. An empty line is a space, not a paragraph.
fn part(lines: &[String], translated: bool) -> Vec<Block<'_>> {
    let levels: &[StructRole] =
        if translated { &[StructRole::H1, StructRole::H2, StructRole::H3] } else { &[StructRole::H1, StructRole::H2] };
    let mut headings = 0;
    lines
        .iter()
        .map(|line| match line.strip_prefix("# ") {
            Some(text) => {
                let role = levels[headings.min(levels.len() - 1)];
                headings += 1;
                Block { role, text, translated }
            }
            None => Block { role: StructRole::P, text: line.as_str(), translated },
        })
        .collect()
}

/// The document's blocks, then the translation's.
fn blocks(doc: &Document) -> Vec<Block<'_>> {
    let mut all = part(&doc.lines, false);
    if let Some(t) = &doc.translation {
        all.extend(part(&t.lines, true));
    }
    all
}

/// A count or an index as PDF writes it (a document has far fewer than 2³¹ lines).
fn num(i: usize) -> i32 {
    i32::try_from(i).unwrap_or(i32::MAX)
}

/// The tag a role's marked content carries (the element's own type).
fn tag(role: StructRole) -> Name<'static> {
    match role {
        StructRole::H1 => Name(b"H1"),
        StructRole::H2 => Name(b"H2"),
        StructRole::H3 => Name(b"H3"),
        _ => Name(b"P"),
    }
}

pub fn render(doc: &Document) -> Vec<u8> {
    let blocks = blocks(doc);
    // Lay the blocks out on as many pages as they need: each printed line is
    // one marked-content item (its number on the page) of its block; an
    // empty line only takes its space.
    let per_page = 48;
    let mut laid: Vec<Vec<(usize, String)>> = vec![Vec::new()];
    for (b, block) in blocks.iter().enumerate() {
        let heading = block.role != StructRole::P;
        for part in wrap(block.text, if heading { 70 } else { 90 }) {
            if laid.last().is_some_and(|p| p.len() >= per_page) {
                laid.push(Vec::new());
            }
            if let Some(p) = laid.last_mut() {
                p.push((b, part));
            }
        }
    }
    // Per page, the printed lines in order, each with its number.
    let marked: Vec<Vec<(i32, usize, &str)>> = laid
        .iter()
        .map(|items| {
            items
                .iter()
                .filter(|(_, text)| !text.is_empty())
                .enumerate()
                .map(|(n, (b, t))| (num(n), *b, t.as_str()))
                .collect()
        })
        .collect();

    let mut next = Ref::new(1);
    let (catalog, pages, font, bold, info) = (next.bump(), next.bump(), next.bump(), next.bump(), next.bump());
    let (root, document) = (next.bump(), next.bump());
    let section = doc.translation.as_ref().map(|_| next.bump());
    // An element for each block that prints something.
    let block_refs: Vec<Option<Ref>> = blocks.iter().map(|b| (!b.text.is_empty()).then(|| next.bump())).collect();
    // Per page: the page, its content, and the elements its items belong to.
    let page_refs: Vec<(Ref, Ref, Ref)> = laid.iter().map(|_| (next.bump(), next.bump(), next.bump())).collect();

    let mut pdf = Pdf::new();
    let mut cat = pdf.catalog(catalog);
    cat.pages(pages).lang(TextStr(doc.lang)).pair(Name(b"StructTreeRoot"), root);
    cat.mark_info().marked(true);
    cat.viewer_preferences().display_doc_title(true);
    cat.finish();
    pdf.document_info(info).title(TextStr(&doc.title)).producer(TextStr("Servizi Lavoro"));
    pdf.pages(pages).kids(page_refs.iter().map(|(p, _, _)| *p)).count(num(page_refs.len()));
    pdf.type1_font(font).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));

    // The structure: the document, its blocks, then the translation's section.
    let mut tree = pdf.indirect(root).start::<StructTreeRoot>();
    tree.child(document);
    let mut parents = tree.parent_tree();
    let mut nums = parents.nums();
    for (i, (_, _, items)) in page_refs.iter().enumerate() {
        nums.insert(num(i), *items);
    }
    nums.finish();
    parents.finish();
    tree.parent_tree_next_key(num(page_refs.len()));
    tree.finish();
    let elements_of = |translated: bool| {
        blocks.iter().zip(&block_refs).filter(move |(b, _)| b.translated == translated).filter_map(|(_, r)| *r)
    };
    let mut top = pdf.struct_element(document);
    top.kind(StructRole::Document).parent(root);
    let mut kids = top.children();
    for r in elements_of(false) {
        kids.struct_element(r);
    }
    if let Some(s) = section {
        kids.struct_element(s);
    }
    kids.finish();
    top.finish();
    if let (Some(s), Some(t)) = (section, &doc.translation) {
        let mut sect = pdf.struct_element(s);
        sect.kind(StructRole::Sect).parent(document).lang(TextStr(t.lang));
        let mut kids = sect.children();
        for r in elements_of(true) {
            kids.struct_element(r);
        }
    }
    for (b, (block, r)) in blocks.iter().zip(&block_refs).enumerate() {
        let Some(r) = r else { continue };
        let parent = match (block.translated, section) {
            (true, Some(s)) => s,
            _ => document,
        };
        let mut el = pdf.struct_element(*r);
        el.kind(block.role).parent(parent);
        let mut kids = el.children();
        for (items, (page, _, _)) in marked.iter().zip(&page_refs) {
            for (mcid, _, _) in items.iter().filter(|(_, of, _)| *of == b) {
                kids.marked_content_ref().page(*page).marked_content_id(*mcid);
            }
        }
    }

    for (i, ((items, printed), (page_ref, content_ref, parents_ref))) in
        laid.iter().zip(&marked).zip(&page_refs).enumerate()
    {
        let mut page = pdf.page(*page_ref);
        page.media_box(Rect::new(0.0, 0.0, 595.0, 842.0)).parent(pages).contents(*content_ref);
        page.struct_parents(num(i)).tab_order(TabOrder::StructureOrder);
        page.resources().fonts().pair(Name(b"F1"), font).pair(Name(b"F2"), bold);
        page.finish();
        pdf.indirect(*parents_ref).array().items(printed.iter().filter_map(|(_, b, _)| block_refs[*b]));
        let mut content = Content::new();
        let mut y = 800.0;
        let mut numbers = printed.iter().map(|(mcid, _, _)| *mcid);
        for (b, text) in items {
            let role = blocks[*b].role;
            let heading = role != StructRole::P;
            let (name, size) = if heading { (Name(b"F2"), 13.0) } else { (Name(b"F1"), 10.0) };
            if heading {
                y -= 6.0;
            }
            if let Some(mcid) = (!text.is_empty()).then(|| numbers.next()).flatten() {
                let mut mark = content.begin_marked_content_with_properties(tag(role));
                let mut props = mark.properties();
                props.identify(mcid);
                // What the font cannot print, a screen reader still reads.
                if text.chars().any(|c| winansi_byte(c).is_none()) {
                    props.actual_text(TextStr(text));
                }
                drop(props);
                drop(mark);
                content.begin_text().set_font(name, size).next_line(50.0, y).show(Str(&winansi(text))).end_text();
                content.end_marked_content();
            }
            y -= if heading { 19.0 } else { 15.0 };
        }
        pdf.stream(*content_ref, &content.finish());
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::{render, Document, Translation};
    use lopdf::{Object, ObjectId};
    use std::collections::HashMap;

    /// An element read back: its type, its language (its own or inherited
    /// from a section) and the text of the items marked as its.
    type Read = (String, Option<String>, String);

    fn name(o: &Object) -> String {
        String::from_utf8_lossy(o.as_name().expect("a name")).into_owned()
    }

    /// Walks the structure tree in order, checking that every item an
    /// element claims is marked on its page with its number, and that the
    /// page's parent tree leads back from that item to the element.
    fn read_back(bytes: &[u8]) -> Vec<Read> {
        let doc = lopdf::Document::load_mem(bytes).expect("a PDF");
        let catalog = doc.catalog().expect("catalog");
        let marked = catalog.get(b"MarkInfo").and_then(Object::as_dict).and_then(|m| m.get(b"Marked"));
        assert_eq!(marked.and_then(Object::as_bool).ok(), Some(true), "declared tagged");
        let root = doc.get_dictionary(catalog.get(b"StructTreeRoot").and_then(Object::as_reference).expect("root"));
        let root = root.expect("the structure tree");
        let nums = root.get(b"ParentTree").and_then(Object::as_dict).and_then(|t| t.get(b"Nums")).expect("nums");
        let nums = nums.as_array().expect("an array");
        let parents: HashMap<i64, Vec<ObjectId>> = nums
            .chunks(2)
            .map(|kv| {
                let arr =
                    doc.get_object(kv[1].as_reference().expect("a ref")).and_then(Object::as_array).expect("array");
                (kv[0].as_i64().expect("key"), arr.iter().map(|r| r.as_reference().expect("a ref")).collect())
            })
            .collect();
        // Each page's marked items: (page, number) → text.
        let mut items: HashMap<(ObjectId, i64), String> = HashMap::new();
        for page in doc.get_pages().values() {
            let content = lopdf::content::Content::decode(&doc.get_page_content(*page).expect("content")).expect("ops");
            let (mut open, mut actual) = (None, None);
            for op in content.operations {
                match op.operator.as_str() {
                    "BDC" => {
                        let props = op.operands[1].as_dict().expect("properties");
                        open = Some(props.get(b"MCID").and_then(Object::as_i64).expect("each item is numbered"));
                        actual = props.get(b"ActualText").ok().map(|t| lopdf::decode_text_string(t).expect("text"));
                    }
                    "Tj" => {
                        // WinAnsi is Latin-1 for every letter the tests print.
                        let printed = op.operands[0].as_str().expect("text").iter().map(|&b| char::from(b)).collect();
                        let text = actual.take().unwrap_or(printed);
                        assert!(!text.is_empty(), "nothing empty is marked");
                        items.insert((*page, open.expect("all text is marked")), text);
                    }
                    "EMC" => open = None,
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        let mut stack = vec![(root.get(b"K").and_then(Object::as_reference).expect("the document"), None)];
        while let Some((id, lang)) = stack.pop() {
            let el = doc.get_dictionary(id).expect("an element");
            let lang =
                el.get(b"Lang").ok().map(|l| String::from_utf8_lossy(l.as_str().expect("text")).into_owned()).or(lang);
            let mut text = Vec::new();
            let mut children = Vec::new();
            for kid in el.get(b"K").and_then(Object::as_array).expect("kids") {
                match kid {
                    Object::Reference(child) => children.push((*child, lang.clone())),
                    Object::Dictionary(mcr) => {
                        let page = mcr.get(b"Pg").and_then(Object::as_reference).expect("its page");
                        let mcid = mcr.get(b"MCID").and_then(Object::as_i64).expect("its number");
                        text.push(items.remove(&(page, mcid)).expect("marked on its page"));
                        let key =
                            doc.get_dictionary(page).and_then(|p| p.get(b"StructParents")).and_then(Object::as_i64);
                        let back = parents[&key.expect("the page's key")][usize::try_from(mcid).expect("mcid")];
                        assert_eq!(back, id, "the parent tree leads back to the element");
                    }
                    other => panic!("unexpected kid {other:?}"),
                }
            }
            if !text.is_empty() {
                out.push((name(el.get(b"S").expect("type")), lang.clone(), text.join(" ")));
            }
            stack.extend(children.into_iter().rev());
        }
        assert!(items.is_empty(), "items no element claims: {items:?}");
        out
    }

    #[test]
    fn the_structure_reads_in_order_with_the_translation_in_its_language() {
        let long = "parola ".repeat(40).trim_end().to_string();
        let mut lines = vec!["# Modulo".to_string(), "Codice: 1".to_string(), "# Sezione 1".to_string(), long.clone()];
        // A space between lines, and a name the standard font cannot print whole.
        lines.extend([String::new(), "Nome: Đorđe".to_string()]);
        // Enough lines to need a second page, the long one across the break.
        lines.extend((0..37).map(|i| format!("Riga {i}")));
        lines.push(long.clone());
        let doc = Document {
            title: "Modulo 1".into(),
            lang: "it",
            lines: lines.clone(),
            translation: Some(Translation {
                lang: "de",
                lines: ["# Deutsche Fassung", "# Rücktritt", "Code: 1", "# Abschnitt 1", "Name: Đorđe"]
                    .map(String::from)
                    .to_vec(),
            }),
        };
        let read = read_back(&render(&doc));
        let own = |role: &str, text: &str| (role.to_string(), None, text.to_string());
        let german = |role: &str, text: &str| (role.to_string(), Some("de".to_string()), text.to_string());
        let mut expected = vec![own("H1", "Modulo"), own("P", "Codice: 1"), own("H2", "Sezione 1"), own("P", &long)];
        expected.push(own("P", "Nome: Đorđe"));
        expected.extend((0..37).map(|i| own("P", &format!("Riga {i}"))));
        expected.extend([own("P", &long), german("H1", "Deutsche Fassung"), german("H2", "Rücktritt")]);
        expected.extend([german("P", "Code: 1"), german("H3", "Abschnitt 1"), german("P", "Name: Đorđe")]);
        assert_eq!(read, expected);
        // The second long paragraph starts on the first page and ends on the second.
        let pdf = lopdf::Document::load_mem(&render(&doc)).expect("a PDF");
        let first_page = pdf.extract_text(&[1]).expect("text");
        assert_eq!((pdf.get_pages().len(), first_page.matches("parola").count()), (2, 40 + 26));
    }
}
