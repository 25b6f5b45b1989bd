//! "Load addresses": paste one or many addresses or Bitcoin transaction ids; each is validated
//! (checksums included) and the valid ones are added in one action; every rejected one is
//! listed with its reason. A chain chooser says which chain a 64-hex-digit hash is on (it could
//! be Bitcoin's or TRON's) and puts `0x` addresses on a chosen EVM chain; a transaction added
//! is expanded at once, which brings its inputs and outputs (see `model::start`).

use super::super::command::Command;
use crate::layout::place_near;
use crate::model::address::split_address_list;
use crate::model::start::{StartPoint, parse_start};
use crate::model::{Action, Case, Chain, Fragment, Node, NodeId};

/// Result of checking the pasted text.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct AddressCheck {
    /// New valid addresses and transactions, in input order, without duplicates.
    pub valid: Vec<NodeId>,
    /// Valid but already in the case (or repeated in the input).
    pub already_present: Vec<NodeId>,
    /// Rejected tokens with the reason.
    pub rejected: Vec<(String, String)>,
    /// Account-chain transactions to read by hash (chain, hash), without duplicates.
    pub transactions: Vec<(Chain, String)>,
}

/// Validates every token of `text` against `case`, on `chain` when one is chosen.
pub fn check_addresses(text: &str, case: &Case, chain: Option<Chain>) -> AddressCheck {
    let mut check = AddressCheck::default();
    for token in split_address_list(text) {
        match parse_start(token, chain) {
            Ok(StartPoint::Transfers { chain, hash }) => {
                if !check.transactions.contains(&(chain, hash.clone())) {
                    check.transactions.push((chain, hash));
                }
            }
            Ok(StartPoint::Address(id) | StartPoint::Transaction(id)) => {
                if case.nodes.contains_key(&id) || check.valid.contains(&id) {
                    check.already_present.push(id);
                } else {
                    check.valid.push(id);
                }
            }
            Err(err) => check.rejected.push((token.to_owned(), err.to_string())),
        }
    }
    check
}

/// The action adding `ids` (addresses and transactions), placed around the centre of the
/// current case.
pub fn add_addresses_action(case: &Case, ids: &[NodeId]) -> Action {
    let centre = centre_of(case);
    let mut fragment = Fragment::default();
    for (i, id) in ids.iter().enumerate() {
        fragment.nodes.push(if id.is_transaction() {
            Node::transaction(id.clone())
        } else {
            Node::address(id.clone())
        });
        fragment
            .positions
            .push((id.clone(), place_near(centre, i, ids.len(), 0xadd)));
    }
    Action::Insert {
        label: format!("add {} address(es)", ids.len()),
        fragment,
    }
}

fn centre_of(case: &Case) -> [f32; 2] {
    let n = case.layout.positions.len();
    if n == 0 {
        return [0.0, 0.0];
    }
    let (sx, sy) = case
        .layout
        .positions
        .values()
        .fold((0.0f32, 0.0f32), |(x, y), p| (x + p[0], y + p[1]));
    [sx / n as f32, sy / n as f32]
}

/// Dialog state.
#[derive(Default)]
pub struct AddAddressesDialog {
    text: String,
    /// The chain chosen for the pasted text (`None`: each token names its own).
    chain: Option<Chain>,
    last: Option<AddressCheck>,
    focused: bool,
}

impl AddAddressesDialog {
    /// Draws the dialog; returns false when it should close.
    pub fn show_ui(
        &mut self,
        ctx: &egui::Context,
        case: &Case,
        commands: &mut Vec<Command>,
    ) -> bool {
        let mut keep_open = true;
        let modal = egui::Modal::new(egui::Id::new("add_addresses_dialog")).show(ctx, |ui| {
            ui.set_width(560.0);
            ui.heading("Load addresses");
            ui.label(
                "Paste Bitcoin, Ethereum, TRON, Litecoin, Bitcoin Cash or Zcash addresses, or \
                 transaction ids (Bitcoin, TRON, or 0x… on Ethereum): one per line, or separated by \
                 spaces or commas. Choose the chain for 1…/3… addresses of Litecoin or Bitcoin \
                 Cash.",
            );
            ui.horizontal(|ui| {
                let label = ui.label("Chain");
                let name = |chain: Option<Chain>| match chain {
                    None => "as written".to_owned(),
                    Some(chain) => format!("{chain} ({})", chain.id_prefix()),
                };
                egui::ComboBox::from_id_salt("add_addresses_chain")
                    .selected_text(name(self.chain))
                    .show_ui(ui, |ui| {
                        let named = Chain::NAMED.into_iter().map(Some);
                        for chain in std::iter::once(None).chain(named) {
                            ui.selectable_value(&mut self.chain, chain, name(chain));
                        }
                    })
                    .response
                    .labelled_by(label.id)
                    .on_hover_text(
                        "Which chain a 64-hex-digit transaction id is on (Bitcoin's and TRON's \
                         look alike), and a 1…/3… address (Bitcoin's, Litecoin's or Bitcoin \
                         Cash's); other addresses name their own chain",
                    );
            });
            let field = ui.add(
                egui::TextEdit::multiline(&mut self.text)
                    .id(egui::Id::new("add_addresses_text"))
                    .desired_rows(8)
                    .desired_width(f32::INFINITY)
                    .font(egui::TextStyle::Monospace)
                    .hint_text("bc1q…\n0x…"),
            );
            if !self.focused {
                field.request_focus();
                self.focused = true;
            }
            ui.horizontal(|ui| {
                if ui.button("Add").clicked() {
                    let check = check_addresses(&self.text, case, self.chain);
                    if !check.valid.is_empty() {
                        commands.push(Command::Apply(add_addresses_action(case, &check.valid)));
                        commands.push(Command::Select(check.valid.clone()));
                        commands.push(Command::ZoomTo(Vec::new()));
                        // A transaction is its inputs and outputs: fetch them now.
                        for tx in check.valid.iter().filter(|id| id.is_transaction()) {
                            commands.push(Command::Expand {
                                node: tx.clone(),
                                direction: crate::sources::Direction::Both,
                            });
                        }
                    }
                    // An account-chain transaction is its transfers, read by hash in a job.
                    for (chain, hash) in &check.transactions {
                        commands.push(Command::FetchTransaction {
                            chain: *chain,
                            hash: hash.clone(),
                        });
                    }
                    if check.rejected.is_empty() && check.already_present.is_empty() {
                        keep_open = false;
                    } else {
                        // Keep only what was refused, so the user can correct it.
                        self.text = check
                            .rejected
                            .iter()
                            .map(|(token, _)| token.as_str())
                            .collect::<Vec<_>>()
                            .join("\n");
                    }
                    self.last = Some(check);
                }
                if ui.button("Close").clicked() {
                    keep_open = false;
                }
            });
            if let Some(check) = &self.last {
                report_ui(ui, check);
            }
        });
        if modal.should_close() {
            keep_open = false;
        }
        keep_open
    }
}

fn report_ui(ui: &mut egui::Ui, check: &AddressCheck) {
    ui.separator();
    ui.label(format!(
        "Added {} · transactions being read {} · already in the case {} · rejected {}",
        check.valid.len(),
        check.transactions.len(),
        check.already_present.len(),
        check.rejected.len()
    ));
    egui::ScrollArea::vertical()
        .max_height(200.0)
        .show(ui, |ui| {
            for (token, reason) in &check.rejected {
                ui.horizontal_wrapped(|ui| {
                    ui.colored_label(egui::Color32::from_rgb(239, 83, 80), "×");
                    ui.label(egui::RichText::new(token).monospace());
                    ui.label(reason);
                });
            }
            for id in &check.already_present {
                ui.label(format!("• already in the case: {id}"));
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_tokens_into_valid_present_and_rejected() {
        let mut case = Case::new("t", 0);
        let known = NodeId::parse("btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa").expect("valid");
        case.nodes
            .insert(known.clone(), Node::address(known.clone()));
        let text = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa, bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq\n\
                    0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD\n\
                    bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq notanaddress";
        let check = check_addresses(text, &case, None);
        assert_eq!(check.valid.len(), 2);
        assert_eq!(
            check.already_present.len(),
            2,
            "known one and the repeated bech32"
        );
        assert_eq!(check.rejected.len(), 2, "bad EIP-55 case and garbage");
        assert!(check.rejected[0].1.contains("EIP-55"));
        let action = add_addresses_action(&case, &check.valid);
        let mut after = case.clone();
        crate::model::apply(&mut after, action).expect("applies");
        assert_eq!(after.nodes.len(), 3);
        assert!(after.validate().is_empty());
    }

    #[test]
    fn transaction_ids_need_their_chain_and_become_transaction_nodes() {
        let case = Case::new("t", 0);
        let txid = "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b";
        let asked = check_addresses(txid, &case, None);
        assert!(asked.valid.is_empty());
        assert!(asked.rejected[0].1.contains("choose the chain"));
        let check = check_addresses(txid, &case, Some(Chain::Bitcoin));
        assert_eq!(check.valid.len(), 1);
        let mut after = case.clone();
        crate::model::apply(&mut after, add_addresses_action(&case, &check.valid)).expect("ok");
        let node = &after.nodes[&check.valid[0]];
        assert_eq!(node.kind, crate::model::NodeKind::Transaction);
        assert!(after.validate().is_empty());
    }
}
