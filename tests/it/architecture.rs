//! The shape of the code: domains depend downwards only. Reads `src/` and
//! fails on any import cycle between top-level modules, and between the
//! sibling modules inside each top-level module.
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

fn graphs() -> (BTreeMap<String, BTreeSet<String>>, BTreeMap<String, BTreeSet<String>>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let path_re = regex::Regex::new(r"crate::([a-z_]+)(?:::(\{[^}]*\}|[A-Za-z_0-9]+))?").expect("regex");
    let (mut top, mut inner) =
        (BTreeMap::<String, BTreeSet<String>>::new(), BTreeMap::<String, BTreeSet<String>>::new());
    for file in files {
        let module = module_path(&src, &file);
        if module.len() == 1 && (module[0] == "lib" || module[0] == "main") {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("source");
        let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
        let from =
            if module[0] == "kernel" && module.len() > 1 { format!("kernel/{}", module[1]) } else { module[0].clone() };
        for cap in path_re.captures_iter(&code) {
            let segs: Vec<&str> = cap.iter().skip(1).flatten().map(|m| m.as_str()).collect();
            if segs[0] != from {
                top.entry(from.clone()).or_default().insert(segs[0].to_string());
            }
            // Siblings inside one top-level module (the module's own mod.rs composes them).
            if segs[0] == module[0] && module.len() > 1 {
                if let Some(sibling) = segs.get(1).filter(|s| !s.starts_with('{')) {
                    let dir = src.join(&module[0]);
                    let is_module = dir.join(sibling).is_dir() || dir.join(format!("{sibling}.rs")).exists();
                    if *sibling != module[1] && is_module {
                        inner
                            .entry(format!("{}/{}", module[0], module[1]))
                            .or_default()
                            .insert(format!("{}/{sibling}", module[0]));
                    }
                }
            }
        }
    }
    (top, inner)
}

#[test]
fn top_level_modules_have_no_import_cycles() {
    let (top, _) = graphs();
    assert!(top.contains_key("app") && top["app"].contains("auth"), "the scan sees the imports: {top:?}");
    assert_eq!(find_cycle(&top), None, "an import cycle between top-level modules");
}

#[test]
fn sibling_modules_have_no_import_cycles() {
    let (_, inner) = graphs();
    assert_eq!(find_cycle(&inner), None, "an import cycle inside a top-level module");
}

#[test]
fn the_kernel_imports_no_domain() {
    let (top, _) = graphs();
    let domains = ["access", "app", "auth", "catalog", "cli", "helpdesk", "identity", "portal", "web"];
    let kernel = top.get("kernel").cloned().unwrap_or_default();
    for d in domains {
        assert!(!kernel.contains(d), "the kernel imports the domain {d}");
    }
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

/// `super::x` between files of one folder counts too: siblings depend one
/// way only, at every depth.
#[test]
fn siblings_reached_through_super_have_no_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let re = regex::Regex::new(r"super::([a-z_]+)").expect("regex");
    let mut graph = BTreeMap::<String, BTreeSet<String>>::new();
    for file in files {
        let module = module_path(&src, &file);
        // A `mod.rs` composes its folder: its `super::` is the folder above.
        let is_mod = file.file_name().is_some_and(|n| n == "mod.rs");
        if module.len() < 2 || is_mod {
            continue;
        }
        let folder = &module[..module.len() - 1];
        let text = std::fs::read_to_string(&file).expect("source");
        // Code only: comments (and doc links) and the tests at the end depend on nothing.
        let code: String = text
            .split("#[cfg(test)]")
            .next()
            .unwrap_or("")
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for cap in re.captures_iter(&code) {
            let sibling = &cap[1];
            let dir = src.join(folder.join("/"));
            let exists = dir.join(sibling).is_dir() || dir.join(format!("{sibling}.rs")).exists();
            if exists && sibling != module[module.len() - 1] {
                graph.entry(module.join("/")).or_default().insert(format!("{}/{sibling}", folder.join("/")));
            }
        }
    }
    assert!(graph.contains_key("catalog/handlers"), "the scan sees super:: imports: {graph:?}");
    assert_eq!(find_cycle(&graph), None, "an import cycle between sibling files through super::");
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
