//! The shape of the code, read from `src/`: layers as the README draws them,
//! no import cycle at any level, sign-in's plumbing kept inside `auth`, one
//! clock.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/auth/sso/acs.rs` → `["auth", "sso", "acs"]`; `mod.rs` names its folder.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).expect("under src").with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|s| s == n) {
            let mut cycle = stack[i..].to_vec();
            cycle.push(n.to_string());
            return Some(cycle);
        }
        if done.contains(n) {
            return None;
        }
        stack.push(n.to_string());
        for m in graph.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, graph, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let mut g = BTreeMap::<String, BTreeSet<String>>::new();
    g.entry("a".into()).or_default().insert("b".into());
    g.entry("b".into()).or_default().insert("c".into());
    assert_eq!(find_cycle(&g), None);
    g.entry("c".into()).or_default().insert("a".into());
    assert_eq!(find_cycle(&g), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
}

/// Sign-in is a domain like the others: outside it, only its sessions are
/// imported (the entry points `app` and `cli` compose it whole).
#[test]
fn other_modules_import_only_sessions_from_auth() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let use_re = regex::Regex::new(r"crate::auth::(\{[^}]*\}|[A-Za-z_0-9]+)").expect("regex");
    let mut offences = Vec::new();
    for file in files {
        let module = module_path(&src, &file);
        if ["auth", "app", "cli", "lib", "main"].contains(&module[0].as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("source");
        for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim_start().starts_with("//")) {
            for cap in use_re.captures_iter(line) {
                let what = cap[1].trim_matches(|c| c == '{' || c == '}');
                if what.split(',').map(|w| w.trim().split("::").next().unwrap_or("")).any(|w| w != "session") {
                    offences.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(offences.is_empty(), "imports from auth beyond auth::session:\n{}", offences.join("\n"));
}

/// One clock: the time is read from `kernel::clock` (injected, so tests
/// control it), never from the system directly anywhere else.
#[test]
fn the_time_is_read_from_the_one_clock() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut offences = Vec::new();
    for file in files.iter().filter(|f| !f.ends_with("kernel/clock.rs")) {
        let text = std::fs::read_to_string(file).expect("source");
        for (n, line) in text.lines().enumerate() {
            if line.contains("Utc::now()") || line.contains("Local::now()") || line.contains("SystemTime::now()") {
                offences.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(offences.is_empty(), "the system clock read outside kernel::clock:\n{}", offences.join("\n"));
}

/// The kernel is a folder of small modules, each its own node: the clock sits
/// below the infrastructure, the application state above it.
const NAMESPACES: [&str; 1] = ["kernel"];

/// Module paths with the kernel's modules as top-level nodes (`kernel/clock`).
fn node(path: &[String]) -> Vec<String> {
    match path {
        [first, second, rest @ ..] if NAMESPACES.contains(&first.as_str()) => {
            std::iter::once(format!("{first}/{second}")).chain(rest.iter().cloned()).collect()
        }
        _ => path.to_vec(),
    }
}

/// `crate::a::{b, c::d}` → `["a::b", "a::c::d"]` (one level of braces is
/// enough for how this code imports).
fn expand(path: &str) -> Vec<String> {
    match path.split_once('{') {
        None => vec![path.trim_end_matches("::").to_string()],
        Some((prefix, rest)) => {
            let inner = rest.rsplit_once('}').map_or(rest, |(i, _)| i);
            let mut items = Vec::new();
            let (mut depth, mut start) = (0, 0);
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        items.push(&inner[start..i]);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            items.push(&inner[start..]);
            items
                .iter()
                .map(|i| i.trim())
                .filter(|i| !i.is_empty())
                .flat_map(|i| expand(&format!("{prefix}{i}")))
                .collect()
        }
    }
}

/// The deepest module a path names, from `base` (a module path).
fn resolve(src: &Path, base: &[String], segments: &[&str]) -> Vec<String> {
    let mut at = base.to_vec();
    for s in segments {
        let dir = src.join(at.join("/"));
        if dir.join(s).is_dir() || dir.join(format!("{s}.rs")).exists() {
            at.push(s.to_string());
        } else {
            break;
        }
    }
    at
}

/// Every file's module and the modules it uses, through `crate::`, `super::`
/// and `self::`, and a folder's `mod.rs` through the children it re-exports.
fn file_graph() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let path_re =
        regex::Regex::new(r"\b(crate|super|self)((?:::(?:super|[A-Za-z_0-9]+))*(?:::\{[^;]*?\})?)").expect("regex");
    let reexport = regex::Regex::new(r"pub use ([a-z_0-9]+)::").expect("regex");
    let mut graph = BTreeMap::<Vec<String>, BTreeSet<Vec<String>>>::new();
    for file in files {
        let module = module_path(&src, &file);
        if module.len() == 1 && (module[0] == "lib" || module[0] == "main") {
            continue;
        }
        let is_mod = file.file_name().is_some_and(|n| n == "mod.rs");
        let text = std::fs::read_to_string(&file).expect("source");
        // Code only: comments, doc links and the tests at the end depend on nothing.
        let code: String = text
            .split("#[cfg(test)]")
            .next()
            .unwrap_or("")
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let mut uses = BTreeSet::new();
        for cap in path_re.captures_iter(&code) {
            // `pub(crate)`, `pub(super)`: a visibility, not an import.
            let whole = cap.get(0).map_or(0..0, |m| m.range());
            if code[..whole.start].ends_with("pub(") && code[whole.end..].starts_with(')') {
                continue;
            }
            for full in expand(&format!("{}{}", &cap[1], &cap[2])) {
                let segs: Vec<&str> = full.split("::").collect();
                // `self` is the file's own module (a mod.rs's is its folder), each `super` one up.
                let (base, rest) = match segs[0] {
                    "crate" => (Vec::new(), &segs[1..]),
                    _ => {
                        let ups = segs.iter().take_while(|s| **s == "super").count();
                        let skip = if segs[0] == "self" { 1 } else { ups };
                        (module[..module.len().saturating_sub(ups)].to_vec(), &segs[skip..])
                    }
                };
                uses.insert(resolve(&src, &base, rest));
            }
        }
        if is_mod {
            for cap in reexport.captures_iter(&code) {
                uses.insert(resolve(&src, &module, &[&cap[1]]));
            }
        }
        uses.remove(&module);
        graph.entry(node(&module)).or_default().extend(uses.iter().map(|u| node(u)));
    }
    graph
}

/// Projects the file graph onto siblings: an edge from `a/b/c` to `a/d/e` is
/// `a/b → a/d`. A folder's own module and its children compose (no edge).
fn sibling_graph(files: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> BTreeMap<String, BTreeSet<String>> {
    let mut g = BTreeMap::<String, BTreeSet<String>>::new();
    for (from, tos) in files {
        for to in tos {
            let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
            if common < from.len() && common < to.len() {
                g.entry(from[..=common].join("/")).or_default().insert(to[..=common].join("/"));
            }
        }
    }
    g
}

/// One graph of every file, every way it imports: no cycle at any level.
#[test]
fn no_import_cycle_at_any_level() {
    let files = file_graph();
    assert!(
        files.get(&vec!["dimissioni".to_string(), "flow".to_string()]).is_some_and(|u| u.len() > 3),
        "the scan sees a file's imports"
    );
    let siblings = sibling_graph(&files);
    assert!(siblings.get("catalog/handlers").is_some_and(|u| u.contains("catalog/pages")), "super:: resolves");
    assert!(siblings.get("kernel/state").is_some_and(|u| u.contains("saml")), "the kernel's modules are nodes");
    assert_eq!(find_cycle(&siblings), None, "an import cycle");
}

#[test]
fn the_path_reader_expands_braces_and_resolves_super() {
    assert_eq!(expand("crate::a::{b, c::{d, e}}"), vec!["crate::a::b", "crate::a::c::d", "crate::a::c::e"]);
    let mut g = BTreeMap::new();
    g.insert(vec!["a".to_string(), "x".to_string()], BTreeSet::from([vec!["a".to_string(), "y".to_string()]]));
    g.insert(
        vec!["a".to_string(), "y".to_string(), "z".to_string()],
        BTreeSet::from([vec!["a".to_string(), "x".to_string()]]),
    );
    assert!(find_cycle(&sibling_graph(&g)).is_some(), "a cycle between a/x and a/y through a/y/z");
}

/// The layers as the README's "Layout" section draws them, lowest first:
/// `layer: module (what it holds)  module …` per line.
fn readme_layers() -> Vec<(String, Vec<String>)> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).expect("README");
    let section = readme.split("\n## Layout\n").nth(1).expect("a Layout section");
    let block = section.split("```").nth(1).expect("the layout drawing");
    let paren = regex::Regex::new(r"\([^)]*\)").expect("regex");
    block
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(layer, modules)| {
            let modules = paren.replace_all(modules, " ");
            (layer.trim().to_string(), modules.split_whitespace().map(str::to_string).collect())
        })
        .collect()
}

/// The README's layout names every top-level module of the tree once, and
/// a module imports only from its own layer or those below it.
#[test]
fn the_readme_layout_is_the_tree_and_imports_go_down() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let layers = readme_layers();
    let mut rank = BTreeMap::new();
    for (i, (_, modules)) in layers.iter().enumerate() {
        for m in modules {
            assert!(rank.insert(m.clone(), i).is_none(), "{m} is drawn twice in the README's layout");
        }
    }
    let tree: BTreeSet<String> = std::fs::read_dir(&src)
        .expect("src")
        .filter_map(|e| {
            let p = e.ok()?.path();
            let name = p.file_stem()?.to_string_lossy().into_owned();
            (p.is_dir() || p.extension().is_some_and(|x| x == "rs")).then_some(name)
        })
        .filter(|n| n != "lib")
        .collect();
    let drawn: BTreeSet<String> = rank.keys().cloned().collect();
    assert_eq!(drawn, tree, "the README's layout and src/ name different modules");
    let layer_of = |n: &str| rank.get(n.split('/').next().unwrap_or(n)).copied();
    let mut upward = Vec::new();
    for (from, tos) in file_graph() {
        for to in tos {
            let (a, b) = (layer_of(&from[0]), layer_of(&to[0]));
            if let (Some(a), Some(b)) = (a, b) {
                if b > a {
                    upward.push(format!("{} ({}) → {} ({})", from.join("/"), layers[a].0, to.join("/"), layers[b].0));
                }
            }
        }
    }
    assert!(upward.is_empty(), "imports that go up a layer:\n{}", upward.join("\n"));
}
