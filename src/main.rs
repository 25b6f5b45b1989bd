//! Caseboard's entry point: parses the command line, runs a headless subcommand or opens the
//! window.

use caseboard::app::settings::Settings;
use caseboard::app::{AutoScreenshot, CaseboardApp, StartOptions};
use caseboard::cli::{Cli, CliCommand, run_headless};
use caseboard::model::NodeId;
use clap::Parser as _;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};

fn main() -> ExitCode {
    caseboard::app::process_start();
    caseboard::app::limit_allocator_pools();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CASEBOARD_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match cli.command {
        Some(CliCommand::Screenshot {
            file,
            output,
            size,
            replay_at,
            select,
        }) => {
            let select = match select
                .iter()
                .map(|text| NodeId::parse(text).map_err(|e| format!("--select {text}: {e}")))
                .collect::<Result<Vec<_>, _>>()
            {
                Ok(select) => select,
                Err(message) => {
                    eprintln!("caseboard: {message}");
                    return ExitCode::from(2);
                }
            };
            let status = Arc::new(AtomicI32::new(1));
            let options = StartOptions {
                open: Some(file),
                settings_path: None,
                auto_screenshot: Some(AutoScreenshot {
                    output,
                    settled_frames: 5,
                    max_frames: 3_000,
                    exit_status: status.clone(),
                    replay_at,
                    select,
                }),
                native_dialogs: false,
                extra_packs: Vec::new(),
            };
            match run_window(options, size) {
                Ok(()) => exit_code(status.load(Ordering::SeqCst)),
                Err(message) => {
                    eprintln!("caseboard: {message}");
                    ExitCode::from(1)
                }
            }
        }
        Some(command) => match run_headless(command) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("caseboard: {}", err.message);
                exit_code(err.code)
            }
        },
        None => {
            let options = StartOptions {
                open: cli.case,
                settings_path: Settings::default_path(),
                auto_screenshot: None,
                native_dialogs: true,
                extra_packs: cli.packs,
            };
            match run_window(options, (1440, 900)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("caseboard: {message}");
                    ExitCode::from(1)
                }
            }
        }
    }
}

fn exit_code(code: i32) -> ExitCode {
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}

fn run_window(options: StartOptions, (width, height): (u32, u32)) -> Result<(), String> {
    let native_options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Caseboard")
            .with_inner_size([width as f32, height as f32])
            .with_drag_and_drop(true),
        ..eframe::NativeOptions::default()
    };
    // The app starts before the window and its renderer, so a case named on the command line
    // is already being read while they start (about a tenth of a second here).
    let app = CaseboardApp::new(options);
    eframe::run_native(
        "Caseboard",
        native_options,
        Box::new(move |_cc| Ok(Box::new(app))),
    )
    .map_err(|e| format!("could not open the window: {e}"))
}
