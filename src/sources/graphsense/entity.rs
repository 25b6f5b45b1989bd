//! The addresses of a GraphSense entity: `GET /{currency}/entities/{id}/addresses`, paged by
//! `next_page` (`pagesize` as the source's), at most [`MAX_CLUSTER_MEMBERS`] a call; each
//! address validated for the entity's chain, with its balance and transactions.

use super::paging::{is_page_token, percent_encode, shown_request};
use super::{
    GraphSenseSource, MAX_CLUSTER_MEMBERS, SHORT_MAX_AGE_SECS, convert, currency_of, wire,
};
use crate::model::{ClusterFacts, Node};
use crate::sources::http::CachePolicy;
use crate::sources::{JobControl, SourceError};

impl GraphSenseSource {
    pub(super) fn entity_members(
        &self,
        cluster: &ClusterFacts,
        limit: usize,
        control: &JobControl,
    ) -> Result<Vec<Node>, SourceError> {
        let currency = currency_of(cluster.chain).ok_or_else(|| SourceError::UnsupportedChain {
            source_name: self.name.clone(),
            node: cluster.root_address.clone(),
        })?;
        let limit = limit.min(MAX_CLUSTER_MEMBERS);
        let mut members: Vec<Node> = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..self.max_pages {
            control.check()?;
            let wanted = (limit - members.len()).min(self.page_size as usize);
            let mut path = format!(
                "/{currency}/entities/{}/addresses?pagesize={wanted}",
                cluster.id
            );
            if let Some(token) = &token {
                path.push_str("&page=");
                path.push_str(&percent_encode(token));
            }
            let (page, _, fetched_at) = self.fetch::<wire::EntityAddresses>(
                &path,
                CachePolicy::MaxAge(SHORT_MAX_AGE_SECS),
                control,
            )?;
            control.step();
            let provenance = self.provenance(&path, fetched_at);
            for (index, address) in page.addresses.iter().take(wanted).enumerate() {
                let node = convert::node_of(cluster.chain, address, &provenance).map_err(|e| {
                    self.bad(format!("{}: addresses[{index}]: {e}", shown_request(&path)))
                })?;
                if !members.iter().any(|m| m.id == node.id) {
                    members.push(node);
                }
            }
            token = match page.next_page.filter(|t| !t.is_empty()) {
                Some(next) if is_page_token(&next) && Some(&next) != token.as_ref() => Some(next),
                _ => None,
            };
            if token.is_none() || page.addresses.is_empty() || members.len() >= limit {
                break;
            }
        }
        Ok(members)
    }
}
