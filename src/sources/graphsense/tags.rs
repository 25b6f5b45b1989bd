//! GraphSense's tags: an address's tags (`GET /{currency}/addresses/{a}/tags`, first page,
//! bounded) as Caseboard tags with origin `graphsense`, and the tags of the neighbours a
//! relation list labelled (at most [`MAX_TAGGED_NEIGHBORS`] a call; a failure is a gap).

use super::{
    GraphSenseSource, LONG_MAX_AGE_SECS, MAX_TAGGED_NEIGHBORS, MAX_TAGS_PER_ADDRESS, Reading,
    TagsByNode, convert, wire,
};
use crate::model::{Chain, NodeId, Tag};
use crate::sources::http::CachePolicy;
use crate::sources::{JobControl, SourceError};
use std::collections::BTreeMap;

impl GraphSenseSource {
    /// GraphSense's tags of `address` (first page, bounded), as Caseboard tags.
    pub fn tags_of(&self, address: &NodeId, control: &JobControl) -> Result<Vec<Tag>, SourceError> {
        let (_, currency) = self.currency(address)?;
        if address.is_entity() {
            // An entity's tags come with it (its best tag).
            return Ok(Vec::new());
        }
        let path = format!(
            "/{currency}/addresses/{}/tags?pagesize={MAX_TAGS_PER_ADDRESS}",
            address.value()
        );
        let Some((tags, _, _)) = self.fetch_if_found::<wire::AddressTags>(
            &path,
            CachePolicy::MaxAge(LONG_MAX_AGE_SECS),
            control,
        )?
        else {
            return Ok(Vec::new());
        };
        let mut out: Vec<Tag> = Vec::new();
        for tag in tags.address_tags.iter().take(MAX_TAGS_PER_ADDRESS) {
            // The server's tags for this address only (a tag of another currency is not ours).
            if tag.address.as_deref().is_some_and(|a| {
                convert::address_node(address.chain().unwrap_or(Chain::Bitcoin), a)
                    .ok()
                    .as_ref()
                    != Some(address)
            }) {
                continue;
            }
            if let Some(tag) = convert::tag_of(tag)
                && !out
                    .iter()
                    .any(|t| t.label == tag.label && t.source == tag.source)
            {
                out.push(tag);
            }
        }
        Ok(out)
    }

    /// Tags of the labelled neighbours, bounded; a failure is a gap, not an error.
    pub(super) fn labelled_tags(
        &self,
        reading: &Reading,
        control: &JobControl,
    ) -> Result<(TagsByNode, Vec<String>), SourceError> {
        let mut tags = BTreeMap::new();
        let mut gaps = Vec::new();
        let mut failed = 0usize;
        for address in reading.labelled.iter().take(MAX_TAGGED_NEIGHBORS) {
            control.check()?;
            match self.tags_of(address, control) {
                Ok(found) if !found.is_empty() => {
                    tags.insert(address.clone(), found);
                }
                Ok(_) => {}
                Err(SourceError::Cancelled) => return Err(SourceError::Cancelled),
                Err(_) => failed += 1,
            }
        }
        if failed > 0 {
            gaps.push(format!(
                "{}: the tags of {} could not be read",
                self.name,
                crate::util::plural(failed, "labelled neighbour", "labelled neighbours")
            ));
        }
        if reading.labelled.len() > MAX_TAGGED_NEIGHBORS {
            gaps.push(format!(
                "{}: tags read for the first {MAX_TAGGED_NEIGHBORS} of {} labelled neighbours",
                self.name,
                reading.labelled.len()
            ));
        }
        Ok((tags, gaps))
    }
}
