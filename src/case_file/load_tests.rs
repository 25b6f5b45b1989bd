//! Tests of `load`.

use super::*;

fn kind(text: &str) -> CaseFileErrorKind {
    load_str(text, Path::new("t.ron"))
        .expect_err("must be refused")
        .kind
}

#[test]
fn positions_count_characters() {
    assert_eq!(end_position(""), (1, 1));
    assert_eq!(end_position("ab\ncé"), (2, 3));
    assert_eq!(end_position("ab\n"), (2, 1));
}

#[test]
fn probe_reads_format_wherever_it_is() {
    assert_eq!(
        probe_format("(format: 7, meta: (title: \"x\"))", Path::new("t")),
        Ok(7)
    );
    assert_eq!(
        probe_format(
            "(meta: (title: \"x\", z: [1, {2: 3}]), format: 9)",
            Path::new("t")
        ),
        Ok(9)
    );
    assert_eq!(probe_format("CaseFile(format: 3)", Path::new("t")), Ok(3));
    assert_eq!(
        probe_format("(meta: ())", Path::new("t")).map_err(|e| e.kind),
        Err(CaseFileErrorKind::MissingFormat)
    );
}

#[test]
fn newer_format_is_refused_before_the_rest_is_read() {
    // The rest is not even valid RON: it is never looked at.
    let kind = kind("(format: 3, meta: §§§ this is not RON");
    assert_eq!(
        kind,
        CaseFileErrorKind::NewerFormat {
            found: 3,
            supported: 2
        }
    );
}

#[test]
fn format_zero_and_bad_format_values() {
    assert_eq!(
        kind("(format: 0, meta: (title: \"x\"))"),
        CaseFileErrorKind::UnknownFormat { found: 0 }
    );
    assert!(matches!(
        kind("(format: \"1\")"),
        CaseFileErrorKind::Syntax(_)
    ));
    assert!(matches!(kind("(format: -1)"), CaseFileErrorKind::Syntax(_)));
    assert!(matches!(
        kind("(format: 99999999999)"),
        CaseFileErrorKind::Syntax(_)
    ));
}

#[test]
fn minimal_text_loads() {
    let case = load_str("(format: 1, meta: (title: \"x\"))", Path::new("t")).expect("loads");
    assert_eq!(case.meta.title, "x");
    assert!(case.nodes.is_empty());
}

#[test]
fn unknown_top_level_fields_are_refused() {
    match kind("(format: 2, meta: (title: \"x\"), annotationz: [])") {
        CaseFileErrorKind::Syntax(m) => assert!(m.contains("annotationz"), "{m}"),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn progress_goes_through_reading_parsing_checking() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("c.ron");
    let case = crate::generate::generate_case(300, 2);
    super::super::save(&case, &path).expect("saves");
    let size = std::fs::metadata(&path).expect("metadata").len();
    let stages = std::cell::RefCell::new(Vec::new());
    let (loaded, report) =
        load_report_with_progress(&path, &|stage| stages.borrow_mut().push(stage)).expect("loads");
    assert_eq!(loaded, case);
    assert_eq!(report.integrity, integrity::Integrity::Verified);
    let stages = stages.into_inner();
    assert_eq!(
        stages.first(),
        Some(&LoadStage::Reading {
            read_bytes: size.min(READ_CHUNK_BYTES as u64),
            total_bytes: size
        })
    );
    let tail = &stages[stages.len() - 2..];
    assert_eq!(
        tail,
        [
            LoadStage::Parsing { total_bytes: size },
            LoadStage::Checking
        ]
    );
    assert!(
        stages[0].to_string().starts_with("reading "),
        "{}",
        stages[0]
    );
}

#[test]
fn format_1_migrates_and_says_so() {
    let (case, report) = load_str_report(
        "(format: 1, meta: (title: \"old\"), source: Demo)",
        Path::new("t.ron"),
    )
    .expect("format 1 still opens");
    assert_eq!(case.meta.title, "old");
    assert!(case.annotations.is_empty() && case.history.is_empty());
    assert_eq!(report.migrated_from, Some(1));
    assert_eq!(report.integrity, integrity::Integrity::NoHash);
    assert!(report.message().is_some_and(|m| m.contains("format 1")));
}
