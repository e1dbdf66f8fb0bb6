//! The notes audit over the store, with an optional, cached link check.
use crate::links::{check_all, Known, LinkCheckOptions};
use crate::query::NotesAudit;
use crate::EngineError;
use annals_model::notes::{Marker, Note};
use annals_notes::LinkChecker;
use annals_store::{LinkCheck, RunSummary, Store};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Checks every distinct URL the notes of `doc` (of all when None) cite,
/// answering from the store's cache unless `opts.recheck`, and caches the
/// new answers; then audits as [`notes_audit`] does, dead links included.
pub(crate) fn notes_audit_with_links(
    store: &mut dyn Store,
    doc: Option<&str>,
    checker: &(dyn LinkChecker + Sync),
    opts: &LinkCheckOptions,
) -> Result<NotesAudit, EngineError> {
    let (notes, _) = load(store, doc)?;
    let urls: BTreeSet<String> = notes
        .iter()
        .flat_map(|n| n.references.iter().filter_map(|r| r.url.clone()))
        .collect();
    let mut known: HashMap<String, Result<(), String>> = HashMap::new();
    let mut ask = Vec::new();
    for u in &urls {
        match store.link_check(u)? {
            Some(c) if !opts.recheck => {
                known.insert(
                    u.clone(),
                    if c.ok {
                        Ok(())
                    } else {
                        Err(c.detail.unwrap_or_default())
                    },
                );
            }
            _ => ask.push(u.clone()),
        }
    }
    let answers = check_all(checker, &ask, opts.concurrency);
    if !answers.is_empty() {
        let mut run = store.begin_run()?;
        for (url, r) in &answers {
            run.put_link_check(&LinkCheck {
                url: url.clone(),
                ok: r.is_ok(),
                detail: r.as_ref().err().cloned(),
                checked_at: None,
            })?;
        }
        run.commit(RunSummary::default())?;
    }
    known.extend(answers);
    notes_audit(store, doc, Some(&Known(known)))
}

/// Audits the notes of `doc` (of every document when None); with `links`,
/// URLs it says do not answer are findings too.
pub(crate) fn notes_audit(
    store: &dyn Store,
    doc: Option<&str>,
    links: Option<&Known>,
) -> Result<NotesAudit, EngineError> {
    let (notes, markers) = load(store, doc)?;
    let mut findings = annals_notes::audit(&notes, &markers);
    let links_checked = links.map(|k| {
        findings.extend(annals_notes::audit_links(&notes, k));
        notes
            .iter()
            .flat_map(|n| n.references.iter().filter_map(|r| r.url.as_deref()))
            .collect::<BTreeSet<_>>()
            .len()
    });
    findings.sort_by(|a, b| a.doc.cmp(&b.doc).then(a.line.cmp(&b.line)));
    let mut by_code = BTreeMap::new();
    for f in &findings {
        *by_code.entry(f.code.clone()).or_insert(0) += 1;
    }
    let (sites, by_year) = annals_notes::citation_stats(&notes);
    let mut by_site: Vec<(String, usize)> = sites.into_iter().collect();
    by_site.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let documents: BTreeSet<&str> = notes
        .iter()
        .map(|n| n.doc.as_str())
        .chain(markers.iter().map(|m| m.doc.as_str()))
        .collect();
    Ok(NotesAudit {
        documents: documents.len(),
        notes: notes.len(),
        markers: markers.len(),
        references: notes
            .iter()
            .filter(|n| n.refers_to.is_none())
            .map(|n| n.references.len())
            .sum(),
        findings,
        by_code,
        by_site,
        by_year,
        links_checked,
    })
}

/// The notes and markers of one document or of all.
pub(crate) fn load(
    store: &dyn Store,
    doc: Option<&str>,
) -> Result<(Vec<Note>, Vec<Marker>), EngineError> {
    Ok(match doc {
        Some(d) => {
            if store.document(d)?.is_none() {
                return Err(EngineError::NotFound(d.to_string()));
            }
            (store.notes_of(d)?, store.markers_of(d)?)
        }
        None => {
            let mut notes = Vec::new();
            let mut markers = Vec::new();
            store.for_each_note(&mut |n| {
                notes.push(n);
                Ok(())
            })?;
            store.for_each_marker(&mut |m| {
                markers.push(m);
                Ok(())
            })?;
            (notes, markers)
        }
    })
}
