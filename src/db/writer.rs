//! Group commit: one thread owns one connection and commits the submissions
//! that have queued up in one transaction (`db::submit::store_batch`), so
//! concurrent submissions share one fsync instead of queueing for the write
//! lock one by one, and their rows and counts go in a few multi-row
//! statements. A refused submission leaves its neighbours alone. No caller hears back before the batch's COMMIT has
//! returned, so an answer the caller acknowledges is on disk (SQLite with
//! `synchronous = FULL`, PostgreSQL with `synchronous_commit` on).
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::Arc;
use std::thread::JoinHandle;

use super::submission::{InsertError, NewResponse};
use super::submit::store_batch;
use super::{DatabaseUrl, DbConn, SetupError};

/// The most submissions committed together; more wait for the next batch.
const MAX_BATCH: usize = 256;
/// Submissions that may wait before a caller blocks on the queue.
const QUEUE: usize = 4096;

/// Why a queued submission has no outcome.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The batch's transaction failed: none of its submissions stand.
    #[error("the batch did not commit: {0}")]
    Commit(#[source] Arc<diesel::result::Error>),
    /// The writer has stopped (the server is shutting down).
    #[error("the writer has stopped")]
    Stopped,
}

type Outcome = Result<Result<String, InsertError>, WriteError>;

struct Job {
    response: NewResponse,
    reply: SyncSender<Outcome>,
}

/// The handle callers queue submissions on. Dropping the last one lets the
/// thread commit what is queued and stop.
pub struct Writer {
    queue: Option<SyncSender<Job>>,
    thread: Option<JoinHandle<()>>,
}

impl Writer {
    /// A writer with its own connection to `url`.
    pub fn start(url: &DatabaseUrl) -> Result<Writer, SetupError> {
        let conn = url.establish().map_err(SetupError::Connect)?;
        let (tx, rx) = mpsc::sync_channel::<Job>(QUEUE);
        let thread = std::thread::Builder::new()
            .name("sipas-writer".into())
            .spawn(move || run(conn, rx))
            .map_err(SetupError::Writer)?;
        Ok(Writer {
            queue: Some(tx),
            thread: Some(thread),
        })
    }

    /// Store `response` in the next batch; returns its id, or why it was
    /// refused, once the batch has committed. Blocks: call it from a
    /// blocking thread.
    pub fn write(&self, response: NewResponse) -> Outcome {
        let (reply, answer) = mpsc::sync_channel::<Outcome>(1);
        let job = Job { response, reply };
        let queue = self.queue.as_ref().ok_or(WriteError::Stopped)?;
        match queue.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(job)) => queue.send(job).map_err(|_| WriteError::Stopped)?,
            Err(TrySendError::Disconnected(_)) => return Err(WriteError::Stopped),
        }
        answer.recv().map_err(|_| WriteError::Stopped)?
    }
}

impl Drop for Writer {
    /// Close the queue, then wait for the queued submissions to commit.
    fn drop(&mut self) {
        self.queue.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn run(mut conn: DbConn, rx: Receiver<Job>) {
    // Ends when every handle is gone and the queue is empty.
    while let Ok(first) = rx.recv() {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(j) => jobs.push(j),
                Err(_) => break,
            }
        }
        let n = jobs.len();
        let (batch, replies): (Vec<NewResponse>, Vec<SyncSender<Outcome>>) =
            jobs.into_iter().map(|j| (j.response, j.reply)).unzip();
        match store_batch(&mut conn, batch) {
            Ok(outcomes) => {
                tracing::trace!(writes = n, "batch committed");
                for (reply, out) in replies.into_iter().zip(outcomes) {
                    let _ = reply.send(Ok(out));
                }
            }
            Err(e) => {
                tracing::error!(error = %e, writes = n, "a batch of submissions did not commit");
                let e = Arc::new(e);
                for reply in replies {
                    let _ = reply.send(Err(WriteError::Commit(e.clone())));
                }
            }
        }
    }
}
