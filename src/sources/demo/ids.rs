//! Node ids of the demo world's landmarks, for tests, docs and the app's "start here" hints.

use super::world::world;
use crate::model::NodeId;

/// The theft address (Ethereum): where the victim's cold wallet was drained to.
pub fn theft_address() -> NodeId {
    world().actor_ids.theft.clone()
}

/// The victim exchange's cold wallet (Ethereum).
pub fn victim_cold_wallet() -> NodeId {
    world().actor_ids.victim_cold_wallet.clone()
}

/// The 40 addresses the theft address split the funds across (Ethereum), in split order.
pub fn split_addresses() -> Vec<NodeId> {
    world().actor_ids.splits.clone()
}

/// The hot wallets of the two exchanges: Alpha on Ethereum, Beta on Bitcoin.
pub fn exchange_hot_wallets() -> [NodeId; 2] {
    let ids = &world().actor_ids;
    [ids.alpha_hot_wallet.clone(), ids.beta_hot_wallet.clone()]
}

/// The mixer contract (Ethereum).
pub fn mixer_address() -> NodeId {
    world().actor_ids.mixer.clone()
}

/// The bridge: its contract on Ethereum and its hot wallet on Bitcoin.
pub fn bridge_addresses() -> [NodeId; 2] {
    let ids = &world().actor_ids;
    [
        ids.bridge_contract.clone(),
        ids.bridge_btc_hot_wallet.clone(),
    ]
}

/// The swap router (Ethereum) that pays the demo stablecoin for ETH.
pub fn swap_router_address() -> NodeId {
    world().actor_ids.swap_router.clone()
}

/// The demo stablecoin's contract address (`0x` + 40 lower-case hex).
pub fn token_contract() -> String {
    world().ledger.token_contract.clone()
}
