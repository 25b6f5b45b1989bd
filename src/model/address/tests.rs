//! Tests of address parsing, canonical forms and the encoders, against the official BIP and
//! EIP vectors and hand-made malformed input.

use super::*;

const GENESIS: &str = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";
const P2PKH_2: &str = "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2";
const P2SH: &str = "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy";
const P2WPKH: &str = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
const P2WPKH_BIP173_UPPER: &str = "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4";
const P2WSH: &str = "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3";
const P2TR: &str = "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297";
const P2TR_BIP350: &str = "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0";
const EIP55_VECTORS: [&str; 4] = [
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
];
const BASE58_ALPHABET: &str = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const BECH32_ALPHABET: &str = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/// Small deterministic generator (xorshift64*) for fuzz-like and round-trip tests.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn bytes<const N: usize>(&mut self) -> [u8; N] {
        std::array::from_fn(|_| (self.next() >> 32) as u8)
    }
}

fn bitcoin_kind(input: &str) -> BitcoinAddressKind {
    match parse_address(input) {
        Ok(ParsedAddress::Bitcoin { kind, .. }) => kind,
        other => panic!("{input} should be a Bitcoin address, got {other:?}"),
    }
}

fn err(input: &str) -> AddressError {
    parse_address(input).expect_err(input)
}

/// Replaces the character at `index` (ASCII input) with `replacement`.
fn replace_at(s: &str, index: usize, replacement: char) -> String {
    s.chars()
        .enumerate()
        .map(|(i, c)| if i == index { replacement } else { c })
        .collect()
}

fn flip_case_at(s: &str, index: usize) -> String {
    s.chars()
        .enumerate()
        .map(|(i, c)| match c {
            _ if i != index => c,
            c if c.is_ascii_uppercase() => c.to_ascii_lowercase(),
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

// --- valid Bitcoin addresses ---

#[test]
fn p2pkh_mainnet_examples_parse_unchanged() {
    for address in [GENESIS, P2PKH_2] {
        let parsed = parse_address(address).unwrap();
        assert_eq!(
            parsed,
            ParsedAddress::Bitcoin {
                address: address.to_owned(),
                kind: BitcoinAddressKind::P2pkh
            }
        );
        assert_eq!(parsed.chain(), AddressChain::Bitcoin);
        assert_eq!(parsed.canonical(), address);
        assert_eq!(parse_bitcoin_address(address).unwrap(), parsed);
    }
}

#[test]
fn p2sh_mainnet_example() {
    assert_eq!(bitcoin_kind(P2SH), BitcoinAddressKind::P2sh);
    assert_eq!(parse_address(P2SH).unwrap().canonical(), P2SH);
}

#[test]
fn p2wpkh_lower_and_upper_case() {
    assert_eq!(bitcoin_kind(P2WPKH), BitcoinAddressKind::P2wpkh);
    let upper = parse_address(P2WPKH_BIP173_UPPER).unwrap();
    assert_eq!(
        upper,
        ParsedAddress::Bitcoin {
            address: P2WPKH_BIP173_UPPER.to_ascii_lowercase(),
            kind: BitcoinAddressKind::P2wpkh
        }
    );
    let upper_real = parse_address(&P2WPKH.to_ascii_uppercase()).unwrap();
    assert_eq!(upper_real.canonical(), P2WPKH);
}

#[test]
fn p2wsh_and_p2tr() {
    assert_eq!(bitcoin_kind(P2WSH), BitcoinAddressKind::P2wsh);
    assert_eq!(bitcoin_kind(P2TR), BitcoinAddressKind::P2tr);
    assert_eq!(bitcoin_kind(P2TR_BIP350), BitcoinAddressKind::P2tr);
    assert_eq!(parse_address(P2TR).unwrap().canonical(), P2TR);
}

#[test]
fn bip350_valid_future_segwit_versions() {
    let cases = [
        (
            "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
            1,
        ),
        ("BC1SW50QGDZ25J", 16),
        ("bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", 2),
    ];
    for (address, version) in cases {
        let parsed = parse_address(address).unwrap();
        assert_eq!(
            parsed,
            ParsedAddress::Bitcoin {
                address: address.to_ascii_lowercase(),
                kind: BitcoinAddressKind::FutureSegwit { version }
            }
        );
    }
}

#[test]
fn surrounding_whitespace_is_trimmed() {
    let parsed = parse_address(" \t\n1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa \r\n").unwrap();
    assert_eq!(parsed.canonical(), GENESIS);
    let eth = parse_address("  0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\n").unwrap();
    assert_eq!(
        eth.canonical(),
        "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"
    );
}

// --- invalid Bitcoin addresses ---

#[test]
fn bip350_invalid_vectors_have_precise_reasons() {
    use AddressError::*;
    let cases: [(&str, AddressError); 12] = [
        (
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
            SegwitNotBech32m { version: 1 },
        ),
        (
            "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
            SegwitNotBech32m { version: 16 },
        ),
        (
            "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
            SegwitV0NotBech32,
        ),
        (
            "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",
            InvalidBech32Char {
                ch: 'o',
                position: 60,
            },
        ),
        (
            "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",
            InvalidWitnessVersion { version: 17 },
        ),
        (
            "bc1pw5dgrnzv",
            WrongWitnessProgramLength {
                version: 1,
                length: 1,
            },
        ),
        (
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
            WrongWitnessProgramLength {
                version: 1,
                length: 41,
            },
        ),
        (
            "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",
            WrongWitnessProgramLength {
                version: 0,
                length: 16,
            },
        ),
        (
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",
            Bech32InvalidPadding,
        ),
        ("bc1gmk9yu", Bech32TooShort { length: 9 }),
        (
            "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",
            TestnetBech32Prefix {
                prefix: "tb".to_owned(),
            },
        ),
        (
            "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",
            Bech32ChecksumMismatch,
        ),
    ];
    for (address, expected) in cases {
        assert_eq!(parse_address(address), Err(expected), "{address}");
    }
    // Invalid human-readable part: not a Bitcoin address at all.
    assert_eq!(
        err("tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut"),
        NotAnAddress
    );
}

#[test]
fn segwit_v0_with_21_byte_program_is_rejected() {
    let mut address = String::new();
    bech32::segwit::encode_to_fmt_unchecked(
        &mut address,
        bech32::hrp::BC,
        bech32::segwit::VERSION_0,
        &[7u8; 21],
    )
    .unwrap();
    let error = err(&address);
    assert_eq!(
        error,
        AddressError::WrongWitnessProgramLength {
            version: 0,
            length: 21
        }
    );
    assert_eq!(
        error.to_string(),
        "wrong witness program length 21 for segwit v0 (expected 20 or 32)"
    );
}

#[test]
fn bech32_mixed_case_is_rejected() {
    let mixed = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mDQ";
    assert_eq!(err(mixed), AddressError::Bech32MixedCase);
    assert_eq!(
        err(mixed).to_string(),
        "mixed upper and lower case in a bech32 address"
    );
}

#[test]
fn bech32_one_changed_character_fails_checksum() {
    let broken = replace_at(P2WPKH, 20, 'q');
    assert_ne!(broken, P2WPKH);
    assert_eq!(err(&broken), AddressError::Bech32ChecksumMismatch);
    assert_eq!(
        err(&broken).to_string(),
        "bech32 checksum does not match (a character is mistyped)"
    );
}

#[test]
fn every_single_substitution_in_bech32_is_detected() {
    for address in [P2WPKH, P2WSH, P2TR] {
        for index in 4..address.len() {
            for replacement in BECH32_ALPHABET.chars() {
                let mutated = replace_at(address, index, replacement);
                if mutated != address {
                    assert!(parse_address(&mutated).is_err(), "{mutated} accepted");
                }
            }
        }
    }
}

#[test]
fn base58_one_changed_character_fails_checksum() {
    let broken = replace_at(GENESIS, 10, 'X');
    assert_eq!(err(&broken), AddressError::Base58ChecksumMismatch);
    assert_eq!(
        err(&broken).to_string(),
        "Bitcoin base58 checksum does not match (a character is mistyped)"
    );
}

#[test]
fn every_single_substitution_in_base58_is_detected() {
    for address in [GENESIS, P2PKH_2, P2SH] {
        for index in 0..address.len() {
            for replacement in BASE58_ALPHABET.chars() {
                let mutated = replace_at(address, index, replacement);
                if mutated != address {
                    assert!(parse_address(&mutated).is_err(), "{mutated} accepted");
                }
            }
        }
    }
}

#[test]
fn invalid_base58_and_bech32_characters_are_located() {
    // '0' is not in the base58 alphabet (looks like 'O').
    let typo = replace_at(GENESIS, 5, '0');
    assert_eq!(
        err(&typo),
        AddressError::InvalidBase58Char {
            ch: '0',
            position: 6
        }
    );
    let typo = replace_at(P2WPKH, 41, 'o');
    assert_eq!(
        err(&typo),
        AddressError::InvalidBech32Char {
            ch: 'o',
            position: 42
        }
    );
    assert_eq!(
        parse_bitcoin_address("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNé"),
        Err(AddressError::InvalidBase58Char {
            ch: 'é',
            position: 34
        })
    );
}

#[test]
fn testnet_addresses_are_rejected_with_reason() {
    let hash = [0x11u8; 20];
    let testnet_p2pkh = bs58::encode(hash).with_check_version(0x6f).into_string();
    assert!(testnet_p2pkh.starts_with('m') || testnet_p2pkh.starts_with('n'));
    let error = err(&testnet_p2pkh);
    assert_eq!(error, AddressError::TestnetBase58Version { version: 0x6f });
    assert_eq!(
        error.to_string(),
        "unknown base58 version byte 0x6f (testnet addresses are not supported; Caseboard works on mainnet)"
    );
    let testnet_p2sh = bs58::encode(hash).with_check_version(0xc4).into_string();
    assert!(testnet_p2sh.starts_with('2'));
    assert_eq!(
        err(&testnet_p2sh),
        AddressError::TestnetBase58Version { version: 0xc4 }
    );

    let tb = "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7";
    let error = err(tb);
    assert_eq!(
        error,
        AddressError::TestnetBech32Prefix {
            prefix: "tb".to_owned()
        }
    );
    assert!(error.to_string().contains("'tb' is not supported"));
    assert_eq!(
        err(&tb.to_ascii_uppercase()),
        AddressError::TestnetBech32Prefix {
            prefix: "tb".to_owned()
        }
    );

    let bcrt = bech32::segwit::encode_v0(bech32::hrp::BCRT, &hash).unwrap();
    assert!(bcrt.starts_with("bcrt1q"));
    assert_eq!(
        parse_bitcoin_address(&bcrt),
        Err(AddressError::TestnetBech32Prefix {
            prefix: "bcrt".to_owned()
        })
    );
}

#[test]
fn other_base58check_versions_are_named() {
    // A TRON address (version 0x41) is an address of its own; so is a Litecoin one (0x30),
    // which the Bitcoin parser names by its version byte.
    assert_eq!(
        parse_address("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t").map(|p| p.chain()),
        Ok(AddressChain::Tron)
    );
    assert_eq!(
        parse_bitcoin_address("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"),
        Err(AddressError::UnknownBase58Version { version: 0x41 })
    );
    let litecoin = bs58::encode([3u8; 20])
        .with_check_version(0x30)
        .into_string();
    let error = parse_bitcoin_address(&litecoin).expect_err("not Bitcoin");
    assert_eq!(error, AddressError::UnknownBase58Version { version: 0x30 });
    assert!(error.to_string().contains("0x30"));
    assert_eq!(
        parse_address(&litecoin).map(|p| p.chain()),
        Ok(AddressChain::Litecoin)
    );
}

#[test]
fn base58_wrong_lengths() {
    assert_eq!(
        err("1A1zP1eP5QGefi2DMPTfTL"),
        AddressError::Base58WrongLength { length: 22 }
    );
    assert_eq!(
        parse_bitcoin_address("1A1z"),
        Err(AddressError::Base58WrongLength { length: 4 })
    );
    let too_long = format!("{GENESIS}1234");
    assert_eq!(
        err(&too_long),
        AddressError::Base58WrongLength { length: 38 }
    );
    // Valid checksum, version 0x00, but a 19-byte hash.
    let short_payload = bs58::encode([9u8; 19]).with_check_version(0).into_string();
    assert_eq!(
        err(&short_payload),
        AddressError::Base58WrongPayloadLength { bytes: 20 }
    );
    let long_payload = bs58::encode([9u8; 21]).with_check_version(5).into_string();
    assert_eq!(
        err(&long_payload),
        AddressError::Base58WrongPayloadLength { bytes: 22 }
    );
}

#[test]
fn bech32_wrong_lengths() {
    let too_long = format!("{P2WSH}{}", "q".repeat(40));
    assert_eq!(
        err(&too_long),
        AddressError::Bech32TooLong {
            length: too_long.len()
        }
    );
    assert_eq!(err("bc1q"), AddressError::Bech32TooShort { length: 4 });
    assert_eq!(err("BC1"), AddressError::Bech32TooShort { length: 3 });
    // One character dropped from a valid address.
    let truncated = &P2WPKH[..P2WPKH.len() - 1];
    assert!(parse_address(truncated).is_err());
}

// --- Ethereum ---

#[test]
fn eip55_vectors_parse_as_checksummed() {
    for address in EIP55_VECTORS {
        let parsed = parse_address(address).unwrap();
        assert_eq!(
            parsed,
            ParsedAddress::Ethereum {
                address: address.to_ascii_lowercase(),
                checksummed: true
            }
        );
        assert_eq!(parsed.chain(), AddressChain::Ethereum);
        assert_eq!(parse_ethereum_address(address).unwrap(), parsed);
    }
}

#[test]
fn single_case_ethereum_is_accepted_without_checksum() {
    for address in EIP55_VECTORS {
        let hex = &address[2..];
        let lower = format!("0x{}", hex.to_ascii_lowercase());
        let upper = format!("0X{}", hex.to_ascii_uppercase());
        let upper_small_x = format!("0x{}", hex.to_ascii_uppercase());
        for input in [&lower, &upper, &upper_small_x] {
            assert_eq!(
                parse_address(input).unwrap(),
                ParsedAddress::Ethereum {
                    address: lower.clone(),
                    checksummed: false
                },
                "{input}"
            );
        }
    }
}

#[test]
fn eip55_vectors_with_one_case_flip_fail_naming_expected_form() {
    for address in EIP55_VECTORS {
        let letters: Vec<usize> = address
            .char_indices()
            .skip(2)
            .filter(|(_, c)| c.is_ascii_alphabetic())
            .map(|(i, _)| i)
            .collect();
        assert!(!letters.is_empty());
        for index in letters {
            let flipped = flip_case_at(address, index);
            let error = err(&flipped);
            assert_eq!(
                error,
                AddressError::Eip55ChecksumMismatch {
                    expected: address.to_owned()
                },
                "{flipped}"
            );
            assert_eq!(
                error.to_string(),
                format!("EIP-55 checksum does not match: expected {address}")
            );
        }
    }
}

#[test]
fn ethereum_wrong_length_and_bad_characters() {
    let short = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe";
    let error = err(short);
    assert_eq!(error, AddressError::EthereumWrongLength { found: 39 });
    assert_eq!(
        error.to_string(),
        "Ethereum address must be 0x followed by 40 hex digits (found 39)"
    );
    assert_eq!(
        err("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed0"),
        AddressError::EthereumWrongLength { found: 41 }
    );
    assert_eq!(err("0x"), AddressError::EthereumWrongLength { found: 0 });
    let bad = replace_at("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", 11, 'g');
    let error = err(&bad);
    assert_eq!(
        error,
        AddressError::NonHexChar {
            ch: 'g',
            position: 12
        }
    );
    assert_eq!(error.to_string(), "non-hex character 'g' at position 12");
    assert_eq!(
        err("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae\u{200b}"),
        AddressError::NonHexChar {
            ch: '\u{200b}',
            position: 42
        }
    );
}

#[test]
fn ethereum_without_prefix_is_explained() {
    assert_eq!(
        err("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
        AddressError::EthereumMissingPrefix
    );
    assert_eq!(
        parse_ethereum_address(GENESIS),
        Err(AddressError::EthereumMissingPrefix)
    );
}

#[test]
fn chain_specific_parsers_reject_the_other_chain() {
    assert!(parse_bitcoin_address(EIP55_VECTORS[0]).is_err());
    assert!(parse_ethereum_address(P2WPKH).is_err());
    assert!(parse_ethereum_address(P2SH).is_err());
}

// --- empty, garbage, robustness ---

#[test]
fn empty_and_whitespace_inputs() {
    for input in ["", " ", "\t\n  \r\n", "\u{3000}"] {
        assert_eq!(parse_address(input), Err(AddressError::Empty));
        assert_eq!(parse_bitcoin_address(input), Err(AddressError::Empty));
        assert_eq!(parse_ethereum_address(input), Err(AddressError::Empty));
    }
    assert_eq!(AddressError::Empty.to_string(), "empty address");
}

#[test]
fn obvious_garbage_is_not_an_address() {
    for input in ["hello world", "12345", "🦀🦀🦀", "bc", "0", "cosmos1abcdef"] {
        assert_eq!(
            parse_address(input),
            Err(AddressError::NotAnAddress),
            "{input}"
        );
    }
    assert_eq!(
        AddressError::NotAnAddress.to_string(),
        "not a Bitcoin, Ethereum, TRON, Litecoin, Bitcoin Cash or Zcash address"
    );
}

/// Any accepted input must canonicalise to something that parses to itself.
fn assert_total(input: &str) {
    for result in [
        parse_address(input),
        parse_bitcoin_address(input),
        parse_ethereum_address(input),
    ] {
        match result {
            Ok(parsed) => {
                let again = parse_address(parsed.canonical()).unwrap();
                assert_eq!(again.canonical(), parsed.canonical());
            }
            Err(error) => assert!(!error.to_string().is_empty()),
        }
    }
    let short = short_form(input);
    assert!(short.chars().count() <= 12);
    if let Some(eip55) = to_eip55(input) {
        assert_eq!(eip55.len(), 42);
    }
    for token in split_address_list(input) {
        assert!(!token.is_empty());
    }
}

#[test]
fn random_bytes_and_strings_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let pieces = [
        "bc1", "BC1", "tb1", "bcrt1", "0x", "0X", "1", "3", "q", "p", "é", "🦀", "\u{200b}",
        "\u{0}", " ", ",", "l", "O", "ff", "A", "z", "\n",
    ];
    for _ in 0..3000 {
        let len = rng.below(80);
        let raw: Vec<u8> = (0..len).map(|_| (rng.next() >> 24) as u8).collect();
        assert_total(&String::from_utf8_lossy(&raw));

        let mut composed = String::new();
        for _ in 0..rng.below(12) {
            composed.push_str(pieces[rng.below(pieces.len())]);
        }
        for _ in 0..rng.below(60) {
            let alphabet = if rng.below(2) == 0 {
                BASE58_ALPHABET
            } else {
                BECH32_ALPHABET
            };
            let index = rng.below(alphabet.len());
            composed.push_str(&alphabet[index..index + 1]);
        }
        assert_total(&composed);
    }
}

#[test]
fn very_long_strings_never_panic() {
    let n = 200_000;
    let inputs = [
        "1".repeat(n),
        format!("bc1{}", "q".repeat(n)),
        format!("BC1{}", "Q".repeat(n)),
        format!("0x{}", "a".repeat(n)),
        "🦀".repeat(n / 4),
        format!("{GENESIS} ").repeat(n / 35),
    ];
    for input in &inputs {
        assert!(parse_address(input).is_err());
        assert_total(input);
    }
    assert_eq!(
        parse_address(&inputs[1]),
        Err(AddressError::Bech32TooLong { length: n + 3 })
    );
    assert_eq!(
        parse_address(&inputs[3]),
        Err(AddressError::EthereumWrongLength { found: n })
    );
}

// --- list splitting, short form ---

#[test]
fn split_address_list_on_mixed_separators() {
    let text = format!(
        "{GENESIS}\n{P2SH},{P2WPKH};  {}\t{GENESIS}\r\n\n,,;\n  junk ",
        EIP55_VECTORS[0]
    );
    assert_eq!(
        split_address_list(&text),
        vec![GENESIS, P2SH, P2WPKH, EIP55_VECTORS[0], GENESIS, "junk"]
    );
    assert!(split_address_list("").is_empty());
    assert!(split_address_list(" ,;\n\t ").is_empty());
    assert_eq!(split_address_list("a\u{a0}b"), vec!["a", "b"]);
}

#[test]
fn short_form_examples() {
    assert_eq!(short_form(P2WPKH), "bc1qar…5mdq");
    assert_eq!(
        short_form("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
        "0x5aae…eaed"
    );
    assert_eq!(short_form(GENESIS), "1A1zP1…vfNa");
    assert_eq!(short_form("123456789012"), "123456789012");
    assert_eq!(short_form("1234567890123"), "123456…0123");
    assert_eq!(short_form(""), "");
    // Multi-byte characters at the cut points.
    assert_eq!(short_form("éééééééééééééé"), "éééééé…éééé");
    assert_eq!(short_form("🦀a🦀b🦀c🦀d🦀e🦀f🦀"), "🦀a🦀b🦀c…e🦀f🦀");
}

// --- EIP-55 helper ---

#[test]
fn to_eip55_on_vectors() {
    for address in EIP55_VECTORS {
        assert_eq!(
            to_eip55(&address.to_ascii_lowercase()).as_deref(),
            Some(address)
        );
        let upper = format!("0X{}", address[2..].to_ascii_uppercase());
        assert_eq!(to_eip55(&upper).as_deref(), Some(address));
        assert_eq!(to_eip55(address).as_deref(), Some(address));
    }
    assert_eq!(to_eip55("0x1234"), None);
    assert_eq!(to_eip55("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"), None);
    assert_eq!(to_eip55("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg"), None);
    assert_eq!(
        to_eip55(" 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
        None
    );
}

// --- encoders ---

#[test]
fn encoders_match_known_addresses() {
    let genesis_hash = [
        0x62, 0xe9, 0x07, 0xb1, 0x5c, 0xbf, 0x27, 0xd5, 0x42, 0x53, 0x99, 0xeb, 0xf6, 0xf0, 0xfb,
        0x50, 0xeb, 0xb8, 0x8f, 0x18,
    ];
    assert_eq!(encode_p2pkh(&genesis_hash), GENESIS);
    let p2sh_hash = [
        0xb4, 0x72, 0xa2, 0x66, 0xd0, 0xbd, 0x89, 0xc1, 0x37, 0x06, 0xa4, 0x13, 0x2c, 0xcf, 0xb1,
        0x6f, 0x7c, 0x3b, 0x9f, 0xcb,
    ];
    assert_eq!(encode_p2sh(&p2sh_hash), P2SH);
    let bip173_program = [
        0x75, 0x1e, 0x76, 0xe8, 0x19, 0x91, 0x96, 0xd4, 0x54, 0x94, 0x1c, 0x45, 0xd1, 0xb3, 0xa3,
        0x23, 0xf1, 0x43, 0x3b, 0xd6,
    ];
    assert_eq!(
        encode_p2wpkh(&bip173_program),
        P2WPKH_BIP173_UPPER.to_ascii_lowercase()
    );
    let bip350_program = [
        0x79, 0xbe, 0x66, 0x7e, 0xf9, 0xdc, 0xbb, 0xac, 0x55, 0xa0, 0x62, 0x95, 0xce, 0x87, 0x0b,
        0x07, 0x02, 0x9b, 0xfc, 0xdb, 0x2d, 0xce, 0x28, 0xd9, 0x59, 0xf2, 0x81, 0x5b, 0x16, 0xf8,
        0x17, 0x98,
    ];
    assert_eq!(encode_p2tr(&bip350_program), P2TR_BIP350);
    let eth: [u8; 20] = [
        0x5a, 0xae, 0xb6, 0x05, 0x3f, 0x3e, 0x94, 0xc9, 0xb9, 0xa0, 0x9f, 0x33, 0x66, 0x94, 0x35,
        0xe7, 0xef, 0x1b, 0xea, 0xed,
    ];
    assert_eq!(
        encode_eth(&eth),
        "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"
    );
}

#[test]
fn encoders_round_trip_through_parse_address() {
    let mut rng = Rng(42);
    let mut patterns: Vec<[u8; 32]> = vec![[0x00; 32], [0xff; 32], [0x80; 32], [0x01; 32]];
    patterns.extend((0..32u8).map(|i| std::array::from_fn(|j| i.wrapping_mul(j as u8))));
    patterns.extend((0..200).map(|_| rng.bytes::<32>()));
    for bytes in patterns {
        let mut b20 = [0u8; 20];
        b20.copy_from_slice(&bytes[..20]);

        let checks: [(String, &str, Option<BitcoinAddressKind>); 5] = [
            (encode_p2pkh(&b20), "1", Some(BitcoinAddressKind::P2pkh)),
            (encode_p2sh(&b20), "3", Some(BitcoinAddressKind::P2sh)),
            (
                encode_p2wpkh(&b20),
                "bc1q",
                Some(BitcoinAddressKind::P2wpkh),
            ),
            (encode_p2tr(&bytes), "bc1p", Some(BitcoinAddressKind::P2tr)),
            (encode_eth(&b20), "0x", None),
        ];
        for (address, prefix, kind) in checks {
            assert!(address.starts_with(prefix), "{address} lacks {prefix}");
            let parsed = parse_address(&address).unwrap();
            assert_eq!(parsed.canonical(), address);
            match (parsed, kind) {
                (ParsedAddress::Bitcoin { kind: got, .. }, Some(want)) => {
                    assert_eq!(got, want)
                }
                (ParsedAddress::Ethereum { checksummed, .. }, None) => {
                    assert!(!checksummed);
                    assert_eq!(address.len(), 42);
                    let eip55 = to_eip55(&address).unwrap();
                    assert_eq!(parse_address(&eip55).unwrap().canonical(), address);
                }
                (other, _) => panic!("{address} parsed as {other:?}"),
            }
        }
        // The base58 payload decodes back to the bytes we encoded.
        let decoded = bs58::decode(encode_p2pkh(&b20))
            .with_check(Some(0))
            .into_vec()
            .unwrap();
        assert_eq!(&decoded[1..], &b20);
        let (_, version, program) = bech32::segwit::decode(&encode_p2tr(&bytes)).unwrap();
        assert_eq!(version.to_u8(), 1);
        assert_eq!(program, bytes);
    }
}

#[test]
fn display_of_chain_and_kind() {
    assert_eq!(AddressChain::Bitcoin.to_string(), "Bitcoin");
    assert_eq!(AddressChain::Ethereum.to_string(), "Ethereum");
    assert_eq!(BitcoinAddressKind::P2wpkh.to_string(), "P2WPKH");
    assert_eq!(
        BitcoinAddressKind::FutureSegwit { version: 3 }.to_string(),
        "segwit v3"
    );
    assert!(AddressChain::Bitcoin < AddressChain::Ethereum);
}
