//! Tests of [`super::utxo_address`]: published vectors of each chain (their source named at
//! each), every form of one address landing on one node id, and precise refusals (checksum,
//! version, prefix, case, shielded).

use super::address::{
    AddressChain, AddressError, BitcoinAddressKind, ParsedAddress, parse_address,
};
use super::cashaddr::encode_cashaddr;
use super::chain::Chain;
use super::node::NodeId;
use super::start::{StartPoint, parse_start};
use super::utxo_address::*;

/// Litecoin Core's own vectors: litecoin-project/litecoin `src/test/data/key_io_valid.json`
/// (commit b270cd9098dcb5bd1feb179813fd6861b22859aa), mainnet base58 entries with the hash
/// their scriptPubKey pays to.
const LTC_VECTORS: [(&str, BitcoinAddressKind, &str); 7] = [
    (
        "LT2KVaAy1ppRuxRgrS5RNU3vBsy7RibPeA",
        BitcoinAddressKind::P2pkh,
        "558dbca7118cd5894502767c7b2ffc21a22f54db",
    ),
    (
        "MHrYRxAiMNBTku3eoDHwhA1LQGDjUStZW2",
        BitcoinAddressKind::P2sh,
        "6d328a5b2a20d943a641c8d29b6cc3c2d2df85d3",
    ),
    (
        "M9dw1FAoWpHC6PcMzoCHhqQ9McvTyG5Ywj",
        BitcoinAddressKind::P2sh,
        "130ef8742ad7492b389509252c6721775fb11273",
    ),
    (
        "LbfVMz974gbbGFqXF7FZUpSBWSbwBHDwR5",
        BitcoinAddressKind::P2pkh,
        "b4565f467408e9e1c1d2a3b0ccdeff84db3a3b93",
    ),
    (
        "MWGEAUUZoN4r6puz8KsgnE9wNTQ8fGWCEy",
        BitcoinAddressKind::P2sh,
        "f54ec8d7b0c3f8ab8194db3432d19f8d44d03b12",
    ),
    (
        "LgUPnP2UZxmFBJb8FDgNd5JcU9b7CNfrw1",
        BitcoinAddressKind::P2pkh,
        "e915c49f55d8de0b6041de19c9fa2f21820b2012",
    ),
    (
        "MU2UAbDxiiirZuGTZ6nSaFajsXFkLHozcU",
        BitcoinAddressKind::P2sh,
        "dcc465d5dd517c24c4dc95d7a338fca76d753ddb",
    ),
];

/// The CashAddr spec's "Examples of address translation" (bitcoincashorg/bitcoincash.org
/// `spec/cashaddr.md`): legacy and CashAddr forms of the same six scripts.
const CASHADDR_TRANSLATIONS: [(&str, &str); 6] = [
    (
        "1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu",
        "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a",
    ),
    (
        "1KXrWXciRDZUpQwQmuM1DbwsKDLYAYsVLR",
        "bitcoincash:qr95sy3j9xwd2ap32xkykttr4cvcu7as4y0qverfuy",
    ),
    (
        "16w1D5WRVKJuZUsSRzdLp9w3YGcgoxDXb",
        "bitcoincash:qqq3728yw0y47sqn6l2na30mcw6zm78dzqre909m2r",
    ),
    (
        "3CWFddi6m4ndiGyKqzYvsFYagqDLPVMTzC",
        "bitcoincash:ppm2qsznhks23z7629mms6s4cwef74vcwvn0h829pq",
    ),
    (
        "3LDsS579y7sruadqu11beEJoTjdFiFCdX4",
        "bitcoincash:pr95sy3j9xwd2ap32xkykttr4cvcu7as4yc93ky28e",
    ),
    (
        "31nwvkZwyPdgzjBJZXfDmSWsC4ZLKpYyUw",
        "bitcoincash:pqq3728yw0y47sqn6l2na30mcw6zm78dzq5ucqzc37",
    ),
];

/// Zcash transparent addresses: the first three from zcash's `src/test/key_tests.cpp`
/// (`addr1`, `addr2`, `addr1C`), the P2SH one from the mainnet cases of a published Go
/// validator's `zcash_test.go`, the last from GraphSense's `demo.yaml` TagPack.
const ZEC_VECTORS: [(&str, BitcoinAddressKind); 5] = [
    (
        "t1h8SqgtM3QM5e2M8EzhhT1yL2PXXtA6oqe",
        BitcoinAddressKind::P2pkh,
    ),
    (
        "t1Xxa5ZVPKvs9bGMn7aWTiHjyHvR31XkUst",
        BitcoinAddressKind::P2pkh,
    ),
    (
        "t1ffus9J1vhxvFqLoExGBRPjE7BcJxiSCTC",
        BitcoinAddressKind::P2pkh,
    ),
    (
        "t3Rqonuzz7afkF7156ZA4vi4iimRSEn41hj",
        BitcoinAddressKind::P2sh,
    ),
    (
        "t1ZmpK4QFcvyQZ3ghTgSboBW8b4HgiZHQF9",
        BitcoinAddressKind::P2pkh,
    ),
];

fn hex(text: &str) -> Vec<u8> {
    (0..text.len() / 2)
        .map(|i| u8::from_str_radix(text.get(2 * i..2 * i + 2).expect("hex"), 16).expect("hex"))
        .collect()
}

fn base58check(version: &[u8], hash: &[u8]) -> String {
    bs58::encode([version, hash].concat())
        .with_check()
        .into_string()
}

fn utxo_err(result: Result<ParsedAddress, AddressError>) -> UtxoAddressError {
    match result {
        Err(AddressError::Utxo(err)) => err,
        other => panic!("expected a Litecoin/Bitcoin Cash/Zcash error, got {other:?}"),
    }
}

fn id(text: &str) -> String {
    NodeId::parse(text)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .as_str()
        .to_owned()
}

fn replace_at(s: &str, index: usize, replacement: char) -> String {
    s.chars()
        .enumerate()
        .map(|(i, c)| if i == index { replacement } else { c })
        .collect()
}

#[test]
fn litecoin_core_vectors_parse_with_their_hashes() {
    for (address, kind, hash) in LTC_VECTORS {
        let parsed = parse_litecoin_address(address).expect(address);
        assert_eq!(
            parsed,
            ParsedAddress::Litecoin {
                address: address.to_owned(),
                kind
            }
        );
        let version = if kind == BitcoinAddressKind::P2pkh {
            0x30
        } else {
            0x32
        };
        assert_eq!(base58check(&[version], &hex(hash)), address);
        // Pasted without a chain, the shape says Litecoin.
        assert_eq!(
            parse_address(address).expect(address).chain(),
            AddressChain::Litecoin
        );
        assert_eq!(id(&format!("ltc:{address}")), format!("ltc:{address}"));
    }
}

#[test]
fn litecoin_old_3_p2sh_is_the_same_node_as_its_m_form() {
    for (address, kind, hash) in LTC_VECTORS {
        if kind != BitcoinAddressKind::P2sh {
            continue;
        }
        let old = base58check(&[0x05], &hex(hash));
        assert!(old.starts_with('3'), "{old}");
        assert_eq!(
            parse_litecoin_address(&old).expect("old P2SH").canonical(),
            address
        );
        assert_eq!(id(&format!("ltc:{old}")), format!("ltc:{address}"));
        // Without a chain a 3… is Bitcoin's; on the chosen chain it is Litecoin's M….
        assert_eq!(
            parse_start(&old, Some(Chain::Litecoin)),
            Ok(StartPoint::Address(
                NodeId::parse(&format!("ltc:{address}")).expect("id")
            ))
        );
    }
}

#[test]
fn litecoin_segwit_uses_the_ltc_hrp() {
    // Programs of Litecoin Core's key_io vectors (P2WPKH, P2WSH, P2TR), encoded with `ltc`.
    let hrp = bech32::Hrp::parse("ltc").expect("hrp");
    let cases = [
        (
            0u8,
            "bb6ec1bb3a1a01381d2251d79cbee1b8e86f73ee",
            BitcoinAddressKind::P2wpkh,
        ),
        (
            0,
            "e95a4b7e4b467a4bece4419548614a0bdc2471a1cd6ee2b48ce89e4cc654b378",
            BitcoinAddressKind::P2wsh,
        ),
        (
            1,
            "0f14863d7c9720f4eb2840edec837d4be9af1b42c8ea9c72e2a8bc258805e149",
            BitcoinAddressKind::P2tr,
        ),
    ];
    for (version, program, kind) in cases {
        let version = bech32::Fe32::try_from(version).expect("version");
        let address = bech32::segwit::encode(hrp, version, &hex(program)).expect("encode");
        assert!(address.starts_with("ltc1"), "{address}");
        let parsed = parse_address(&address.to_ascii_uppercase()).expect(&address);
        assert_eq!(
            parsed,
            ParsedAddress::Litecoin {
                address: address.clone(),
                kind
            }
        );
        // A typo, a bech32m checksum on v0 (and the reverse), mixed case.
        let typo = replace_at(
            &address,
            10,
            if address.chars().nth(10) == Some('q') {
                'p'
            } else {
                'q'
            },
        );
        assert!(parse_litecoin_address(&typo).is_err(), "{typo}");
        let letter = address
            .chars()
            .skip(4)
            .position(|c| c.is_ascii_lowercase())
            .expect("a letter")
            + 4;
        let mixed = replace_at(
            &address,
            letter,
            address.chars().nth(letter).expect("c").to_ascii_uppercase(),
        );
        assert_eq!(
            parse_litecoin_address(&mixed),
            Err(AddressError::Bech32MixedCase)
        );
    }
    // The Bitcoin hrp on Litecoin, a Litecoin testnet hrp, MWEB.
    assert!(matches!(
        utxo_err(parse_litecoin_address(
            "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
        )),
        UtxoAddressError::OtherChain { .. }
    ));
    assert!(matches!(
        utxo_err(parse_litecoin_address(
            "tltc1qpftpsvdn6mjp8celrkj0qxqy4jlapl959rlwg9"
        )),
        UtxoAddressError::Testnet { .. }
    ));
    let mweb = utxo_err(parse_address(
        "ltcmweb1qq0yq03ewm830ugmkkvrvjmyyeslcpwk8ayd7k27qx63sryy6kx3ksqm3k6jd24ld3r5dp5lzx7rm7uyxfujf8sn7v4nlxeqwrcq5k3gmqse5ttq",
    ));
    assert!(
        mweb.to_string()
            .contains("only transparent addresses can be traced"),
        "{mweb}"
    );
}

#[test]
fn litecoin_refusals_name_what_is_wrong() {
    let (address, _, hash) = LTC_VECTORS[0];
    let typo = replace_at(
        address,
        20,
        if address.chars().nth(20) == Some('a') {
            'b'
        } else {
            'a'
        },
    );
    assert_eq!(
        utxo_err(parse_litecoin_address(&typo)),
        UtxoAddressError::Base58ChecksumMismatch { chain: "Litecoin" }
    );
    // The same hash with Bitcoin's P2PKH version: a Bitcoin address, not a Litecoin one.
    let bitcoin = base58check(&[0x00], &hex(hash));
    let err = utxo_err(parse_litecoin_address(&bitcoin));
    assert!(err.to_string().contains("Bitcoin's P2PKH"), "{err}");
    assert!(matches!(
        utxo_err(parse_litecoin_address("QXaUgLHkZcbJb2j5XgMYzY8cF9YM48Y81Z")),
        UtxoAddressError::Testnet { .. }
    ));
    assert!(matches!(
        utxo_err(parse_litecoin_address("LT2KVaAy1ppRuxRgrS5RNU3vBsy7RibP0A")),
        UtxoAddressError::InvalidBase58Char {
            ch: '0',
            position: 33,
            ..
        }
    ));
    assert_eq!(parse_litecoin_address("   "), Err(AddressError::Empty));
}

#[test]
fn cashaddr_spec_translations_are_one_node() {
    for (legacy, cashaddr) in CASHADDR_TRANSLATIONS {
        let bare = cashaddr.strip_prefix("bitcoincash:").expect("prefix");
        let upper = cashaddr.to_ascii_uppercase();
        for form in [legacy, cashaddr, bare, upper.as_str()] {
            let parsed = parse_bitcoin_cash_address(form).unwrap_or_else(|e| panic!("{form}: {e}"));
            assert_eq!(parsed.canonical(), legacy, "{form}");
            assert_eq!(id(&format!("bch:{form}")), format!("bch:{legacy}"));
        }
        let kind = if legacy.starts_with('1') {
            BitcoinAddressKind::P2pkh
        } else {
            BitcoinAddressKind::P2sh
        };
        let payload = bs58::decode(legacy)
            .with_check(None)
            .into_vec()
            .expect("legacy");
        assert_eq!(
            encode_cashaddr(kind, &payload[1..]).as_deref(),
            Some(cashaddr)
        );
        // Pasted without a chain, CashAddr says Bitcoin Cash; legacy stays Bitcoin's.
        assert_eq!(
            parse_address(bare).expect(bare).chain(),
            AddressChain::BitcoinCash
        );
        assert_eq!(
            parse_address(legacy).expect(legacy).chain(),
            AddressChain::Bitcoin
        );
    }
}

#[test]
fn cashaddr_spec_larger_vectors() {
    // "Larger test vectors", type 0 and 1 with the bitcoincash prefix: 20 bytes is a P2PKH
    // (`qr6m7j…`), 32 bytes of type 1 a P2SH32 (given the `pvch8m…` form by re-encoding the
    // spec's data, since the spec's 32-byte type-1 vector uses the bchtest prefix).
    let p2pkh = "bitcoincash:qr6m7j9njldwwzlg9v7v53unlr4jkmx6eylep8ekg2";
    let hash20 = hex("F5BF48B397DAE70BE82B3CCA4793F8EB2B6CDAC9");
    assert_eq!(
        parse_bitcoin_cash_address(p2pkh).expect("20").canonical(),
        base58check(&[0x00], &hash20)
    );
    let hash32 = hex("3173EF6623C6B48FFD1A3DCC0CC6489B0A07BB47A37F47CFEF4FE69DE825C060");
    let p2pkh32 = "bitcoincash:qvch8mmxy0rtfrlarg7ucrxxfzds5pamg73h7370aa87d80gyhqxq5nlegake";
    assert_eq!(
        utxo_err(parse_bitcoin_cash_address(p2pkh32)),
        UtxoAddressError::CashAddrUnusedSize {
            kind: BitcoinAddressKind::P2pkh,
            bytes: 32
        }
    );
    let p2sh32 = encode_cashaddr(BitcoinAddressKind::P2sh, &hash32).expect("p2sh32");
    assert!(
        p2sh32.starts_with("bitcoincash:pvch8mmxy0rtfrlarg7ucrxxfzds5pamg73h7370aa87d80gyhqxq")
    );
    let legacy32 = base58check(&[0x05], &hash32);
    assert_eq!(
        parse_bitcoin_cash_address(&p2sh32)
            .expect("p2sh32")
            .canonical(),
        legacy32
    );
    assert_eq!(
        parse_bitcoin_cash_address(&legacy32)
            .expect("legacy32")
            .canonical(),
        legacy32
    );
    // A 24-byte hash: well-formed CashAddr, but nothing on Bitcoin Cash pays to it.
    assert!(matches!(
        utxo_err(parse_bitcoin_cash_address(
            "bitcoincash:q9adhakpwzztepkpwp5z0dq62m6u5v5xtyj7j3h2ws4mr9g0"
        )),
        UtxoAddressError::CashAddrUnusedSize { bytes: 24, .. }
    ));
    // The spec's checksum vector with an invalid payload: the checksum passes, the 19 bytes
    // after the version byte are not the 20 it says.
    assert_eq!(
        utxo_err(parse_bitcoin_cash_address(
            "bitcoincash:qpzry9x8gf2tvdw0s3jn54khce6mua7lcw20ayyn"
        )),
        UtxoAddressError::CashAddrHashLength {
            version: 0,
            expected: 20,
            found: 19
        }
    );
}

#[test]
fn cashaddr_refusals_name_what_is_wrong() {
    let (_, cashaddr) = CASHADDR_TRANSLATIONS[0];
    let typo = replace_at(
        cashaddr,
        20,
        if cashaddr.chars().nth(20) == Some('q') {
            'p'
        } else {
            'q'
        },
    );
    assert_eq!(
        utxo_err(parse_bitcoin_cash_address(&typo)),
        UtxoAddressError::CashAddrChecksumMismatch
    );
    let mixed = replace_at(cashaddr, 14, 'M');
    assert_eq!(
        utxo_err(parse_bitcoin_cash_address(&mixed)),
        UtxoAddressError::CashAddrMixedCase
    );
    assert_eq!(
        utxo_err(parse_bitcoin_cash_address(
            "bchtest:pr6m7j9njldwwzlg9v7v53unlr4jkmx6eyvwc0uz5t"
        )),
        UtxoAddressError::Testnet {
            chain: "Bitcoin Cash",
            what: "a bchtest:/bchreg: CashAddr".into()
        }
    );
    // Right checksum, wrong prefix: the spec's `pref:` vector.
    assert_eq!(
        utxo_err(parse_bitcoin_cash_address(
            "pref:pr6m7j9njldwwzlg9v7v53unlr4jkmx6ey65nvtks5"
        )),
        UtxoAddressError::CashAddrPrefix {
            prefix: "pref".into()
        }
    );
    // A bchtest payload typed without its prefix fails bitcoincash's checksum.
    assert_eq!(
        utxo_err(parse_bitcoin_cash_address(
            "pr6m7j9njldwwzlg9v7v53unlr4jkmx6eyvwc0uz5t"
        )),
        UtxoAddressError::CashAddrChecksumMismatch
    );
    assert_eq!(
        utxo_err(parse_bitcoin_cash_address(
            "bitcoincash:qpm2qsznhks23z7629mbs6s4cwef74vcwvy22gdx6a"
        )),
        UtxoAddressError::CashAddrInvalidChar {
            ch: 'b',
            position: 32
        }
    );
    // A legacy typo, and a Litecoin address given as Bitcoin Cash.
    assert!(matches!(
        utxo_err(parse_bitcoin_cash_address(
            "1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggv"
        )),
        UtxoAddressError::Base58ChecksumMismatch { .. }
    ));
    assert!(parse_bitcoin_cash_address(LTC_VECTORS[0].0).is_err());
}

#[test]
fn zcash_transparent_vectors_parse_and_shielded_are_refused() {
    for (address, kind) in ZEC_VECTORS {
        let parsed = parse_zcash_address(address).unwrap_or_else(|e| panic!("{address}: {e}"));
        assert_eq!(
            parsed,
            ParsedAddress::Zcash {
                address: address.to_owned(),
                kind
            }
        );
        assert_eq!(
            parse_address(address).expect(address).chain(),
            AddressChain::Zcash
        );
        assert_eq!(id(&format!("zec:{address}")), format!("zec:{address}"));
    }
    let (address, _) = ZEC_VECTORS[0];
    let payload = bs58::decode(address)
        .with_check(None)
        .into_vec()
        .expect("t1");
    assert_eq!(payload.get(..2), Some(&[0x1c, 0xb8][..]));
    let typo = replace_at(
        address,
        12,
        if address.chars().nth(12) == Some('a') {
            'b'
        } else {
            'a'
        },
    );
    assert_eq!(
        utxo_err(parse_zcash_address(&typo)),
        UtxoAddressError::Base58ChecksumMismatch { chain: "Zcash" }
    );
    // The same hash under the testnet version, and under a one-byte Bitcoin version.
    let testnet = base58check(&[0x1d, 0x25], &payload[2..]);
    assert!(matches!(
        utxo_err(parse_zcash_address(&testnet)),
        UtxoAddressError::Testnet { .. }
    ));
    let bitcoin = base58check(&[0x00], &payload[2..]);
    assert!(parse_zcash_address(&bitcoin).is_err());
    // Shielded shapes (Sapling, Sprout, unified): refused by their prefix, before any checksum.
    for shielded in [
        "zs1qqqqqqqqqqqqqqqqqrjq05nyfku05msvu49mawhg6kr0wwljahypwyk2h88z6975u563j8nfaxd",
        "zcU1Cd6zYyZCd2VJF8yKgmzjxdiiU1rgTTjEwoN1CGUWCziPkUTXUjXmX7TMqdMNsTfuiGN1jQoVN4kGxUR4sAPN4XZ7pxb",
        "u1qpatys4zruk99pg59gcscrt7y6akvl9vrhcfyhm9yxvxz7h87q6n8cgrzzpe9zru68uq39uhmlpp5uefxu0su5uqyqfe5zp3tycn0ecl",
    ] {
        let err = utxo_err(parse_address(shielded));
        assert!(
            matches!(err, UtxoAddressError::Confidential { .. }),
            "{shielded}: {err}"
        );
        assert!(
            err.to_string()
                .contains("only transparent addresses can be traced"),
            "{err}"
        );
        assert!(NodeId::parse(&format!("zec:{shielded}")).is_err());
    }
}

#[test]
fn ids_of_one_chain_refuse_the_others() {
    let (ltc, _, _) = LTC_VECTORS[0];
    let (zec, _) = ZEC_VECTORS[0];
    assert!(NodeId::parse(&format!("btc:{ltc}")).is_err());
    assert!(NodeId::parse(&format!("bch:{ltc}")).is_err());
    assert!(NodeId::parse(&format!("zec:{ltc}")).is_err());
    assert!(NodeId::parse(&format!("ltc:{zec}")).is_err());
    assert!(NodeId::parse("ltc:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").is_err());
    // A UTXO transaction id on each chain.
    let txid = "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b";
    for prefix in ["ltc", "bch", "zec"] {
        let text = format!("{prefix}-tx:{}", txid.to_ascii_uppercase());
        assert_eq!(id(&text), format!("{prefix}-tx:{txid}"));
        assert_eq!(
            id(&format!("{prefix}:script:{txid}:1")),
            format!("{prefix}:script:{txid}:1")
        );
    }
    assert_eq!(
        parse_start(txid, Some(Chain::Zcash)).map(|s| s.node().map(|n| n.as_str().to_owned())),
        Ok(Some(format!("zec-tx:{txid}")))
    );
}

#[test]
fn hostile_text_never_panics() {
    let samples = [
        "bitcoincash:",
        ":",
        "bitcoincash:é",
        "ltc1",
        "LTC1é",
        "t1",
        "t1é",
        "zs1",
        "u1é",
        "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq",
        "bitcoincash:qqqqqqqqqq",
        "Mé",
        "ltc1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq",
    ];
    for text in samples {
        for chain in [Chain::Litecoin, Chain::BitcoinCash, Chain::Zcash] {
            let _ = chain.parse_address(text);
        }
        let _ = parse_address(text);
        let long = text.repeat(50);
        let _ = parse_bitcoin_cash_address(&long);
    }
}
