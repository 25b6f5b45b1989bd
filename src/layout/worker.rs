//! The layout's worker thread for large cases: owns the engine, ticks it while it is not
//! settled (and sleeps on its channel once it is), and publishes the newest positions after
//! every tick. The UI side ([`Worker`]) sends graph changes, placed nodes and reheats, and takes the
//! newest positions without waiting: a tick never holds the frame. Every graph sent gets a new
//! generation number (and so does every reheat and every set of placed nodes), so positions
//! computed before a change are never applied after it. The engine is the same deterministic [`ForceLayout`]; only when its ticks land in which
//! frame depends on timing. The worker leaves one core to the UI thread.

use crate::layout::ForceLayout;
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// How the simulation (re)starts after a new graph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Start {
    /// Settled as it is (a case loaded with its positions).
    Stop,
    /// Reheated to at least this alpha.
    Reheat(f32),
    /// As it was.
    Keep,
}

impl Start {
    pub(super) fn apply(self, engine: &mut ForceLayout) {
        match self {
            Start::Stop => engine.stop(),
            Start::Reheat(alpha) => engine.reheat(alpha),
            Start::Keep => {}
        }
    }
}

/// What the UI asks of the worker.
enum Message {
    SetGraph {
        generation: u64,
        positions: Vec<[f32; 2]>,
        pinned: Vec<bool>,
        edges: Vec<(u32, u32)>,
        start: Start,
    },
    /// Restart at this alpha; positions published before it are stale.
    Reheat {
        generation: u64,
        alpha: f32,
    },
    /// Set positions (and pinned flags) without reheating; positions published before it
    /// (an older generation) are stale.
    Place {
        generation: u64,
        moves: Vec<(usize, [f32; 2], bool)>,
    },
    Stop,
}

/// The newest state the worker published.
struct Published {
    generation: u64,
    positions: Vec<[f32; 2]>,
    settled: bool,
}

type Mailbox = Arc<Mutex<Option<Published>>>;

/// The UI side of the worker.
pub(super) struct Worker {
    sender: Sender<Message>,
    mailbox: Mailbox,
    handle: Option<JoinHandle<Box<ForceLayout>>>,
    generation: u64,
    /// Newest positions of the current generation.
    positions: Vec<[f32; 2]>,
    settled: bool,
}

impl Worker {
    /// Starts a worker thread that owns `engine`; gives the engine back if no thread could
    /// be started.
    pub(super) fn spawn(mut engine: Box<ForceLayout>) -> Result<Worker, Box<ForceLayout>> {
        // The UI thread keeps a core to draw on: the worker uses the others (at least one).
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        engine.set_max_threads(cores.saturating_sub(1));
        let settled = engine.is_settled();
        let positions = engine.positions().to_vec();
        let (sender, receiver) = mpsc::channel();
        let mailbox: Mailbox = Arc::new(Mutex::new(None));
        // The engine waits in a slot, so it can be taken back if the thread never starts.
        let slot = Arc::new(Mutex::new(Some(engine)));
        let thread_slot = Arc::clone(&slot);
        let thread_mailbox = Arc::clone(&mailbox);
        let spawned = std::thread::Builder::new()
            .name("layout".to_owned())
            .spawn(move || {
                let engine = thread_slot.lock().ok().and_then(|mut s| s.take());
                run(
                    engine.unwrap_or_else(super::driver::fresh_engine),
                    &receiver,
                    &thread_mailbox,
                )
            });
        match spawned {
            Ok(handle) => Ok(Worker {
                sender,
                mailbox,
                handle: Some(handle),
                generation: 0,
                positions,
                settled,
            }),
            Err(_) => Err(slot
                .lock()
                .ok()
                .and_then(|mut s| s.take())
                .unwrap_or_else(super::driver::fresh_engine)),
        }
    }

    /// Replaces the graph (see [`ForceLayout::set_graph`]) and starts it as `start` says.
    pub(super) fn set_graph(
        &mut self,
        positions: Vec<[f32; 2]>,
        pinned: Vec<bool>,
        edges: Vec<(u32, u32)>,
        start: Start,
    ) {
        self.generation += 1;
        self.positions.clone_from(&positions);
        match start {
            Start::Stop => self.settled = true,
            Start::Reheat(_) => self.settled = false,
            Start::Keep => {}
        }
        self.send(Message::SetGraph {
            generation: self.generation,
            positions,
            pinned,
            edges,
            start,
        });
    }

    /// Sets positions and pinned flags of some nodes; does not reheat.
    pub(super) fn place(&mut self, moves: Vec<(usize, [f32; 2], bool)>) {
        for &(index, position, _) in &moves {
            if let Some(slot) = self.positions.get_mut(index) {
                *slot = position;
            }
        }
        self.generation += 1;
        self.send(Message::Place {
            generation: self.generation,
            moves,
        });
    }

    /// Restarts the simulation at `alpha`.
    pub(super) fn reheat(&mut self, alpha: f32) {
        self.settled = false;
        self.generation += 1;
        self.send(Message::Reheat {
            generation: self.generation,
            alpha,
        });
    }

    fn send(&mut self, message: Message) {
        if self.sender.send(message).is_err() {
            // The thread is gone (it panicked): nothing will move any more.
            self.settled = true;
        }
    }

    /// Takes the newest positions the worker published for the current graph; false if
    /// there is nothing new (or the worker is busy publishing right now).
    pub(super) fn take_update(&mut self) -> bool {
        let published = match self.mailbox.try_lock() {
            Ok(mut slot) => slot.take(),
            Err(_) => None,
        };
        match published {
            Some(p) if p.generation == self.generation => {
                self.positions = p.positions;
                self.settled = p.settled;
                true
            }
            _ => false,
        }
    }

    /// Newest positions of the current graph.
    pub(super) fn positions(&self) -> &[[f32; 2]] {
        &self.positions
    }

    /// Whether the worker reported the current graph settled.
    pub(super) fn is_settled(&self) -> bool {
        self.settled
    }

    /// Stops the thread and returns the engine (a fresh one if the thread died), again
    /// allowed every core.
    pub(super) fn stop(mut self) -> Box<ForceLayout> {
        let _ = self.sender.send(Message::Stop);
        let mut engine = self
            .handle
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_else(super::driver::fresh_engine);
        engine.set_max_threads(usize::MAX);
        engine
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // The thread ends after its current tick; nobody waits for it.
        let _ = self.sender.send(Message::Stop);
    }
}

/// The worker thread: handles every message first, then ticks; sleeps while settled.
fn run(
    mut engine: Box<ForceLayout>,
    receiver: &Receiver<Message>,
    mailbox: &Mailbox,
) -> Box<ForceLayout> {
    let mut generation = 0;
    loop {
        let message = if engine.is_settled() {
            match receiver.recv() {
                Ok(message) => Some(message),
                Err(_) => return engine,
            }
        } else {
            match receiver.try_recv() {
                Ok(message) => Some(message),
                Err(TryRecvError::Empty) => None,
                Err(TryRecvError::Disconnected) => return engine,
            }
        };
        match message {
            Some(Message::Stop) => return engine,
            Some(Message::SetGraph {
                generation: g,
                positions,
                pinned,
                edges,
                start,
            }) => {
                engine.set_graph(positions, pinned, &edges);
                start.apply(&mut engine);
                generation = g;
            }
            Some(Message::Reheat {
                generation: g,
                alpha,
            }) => {
                engine.reheat(alpha);
                generation = g;
            }
            Some(Message::Place {
                generation: g,
                moves,
            }) => {
                for (index, position, pinned) in moves {
                    engine.set_position(index, position, pinned);
                }
                generation = g;
            }
            None => {
                engine.tick();
            }
        }
        if let Ok(mut slot) = mailbox.lock() {
            *slot = Some(Published {
                generation,
                positions: engine.positions().to_vec(),
                settled: engine.is_settled(),
            });
        }
    }
}
