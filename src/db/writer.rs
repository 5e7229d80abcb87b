//! Group commit for SQLite: one thread owns one connection and commits
//! whatever writes have queued up in one transaction, so concurrent
//! submissions share one fsync instead of queueing for the write lock one by
//! one. Each write runs in its own savepoint: a write that fails (a form sent
//! twice, a spent link) is rolled back alone and its neighbours commit. No
//! caller hears back before the batch's COMMIT has returned, so an answer the
//! caller acknowledges is on disk (with `synchronous = FULL`).
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::Arc;
use std::thread::JoinHandle;

use diesel::Connection;

use super::{DatabaseUrl, DbConn, SetupError};

/// The most writes committed together; more wait for the next batch.
const MAX_BATCH: usize = 256;
/// Writes that may wait before a caller blocks on the queue.
const QUEUE: usize = 4096;

/// Why a queued write has no outcome.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The batch's transaction failed to commit: none of its writes stand.
    #[error("the batch did not commit: {0}")]
    Commit(#[source] Arc<diesel::result::Error>),
    /// The writer has stopped (the server is shutting down), or the batch
    /// could not begin.
    #[error("the writer has stopped or its batch could not begin")]
    Stopped,
}

/// What the writer calls after the batch's commit, with its outcome.
type Done = Box<dyn FnOnce(Result<(), Arc<diesel::result::Error>>) + Send>;
type Job = Box<dyn FnOnce(&mut DbConn) -> Done + Send>;

/// The handle callers queue writes on. Dropping the last one lets the thread
/// finish the queued writes and stop.
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

    /// Run `work` in the next batch, in its own savepoint (an `Err` rolls
    /// back its writes alone), and return what it returned once the batch
    /// has committed. Blocks: call it from a blocking thread.
    pub fn write<T, E, F>(&self, work: F) -> Result<Result<T, E>, WriteError>
    where
        T: Send + 'static,
        E: From<diesel::result::Error> + Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
    {
        let (reply, answer) = mpsc::sync_channel::<Result<Result<T, E>, WriteError>>(1);
        let job: Job = Box::new(move |conn| {
            let out = conn.transaction(work);
            Box::new(move |committed| {
                let _ = reply.send(committed.map(|()| out).map_err(WriteError::Commit));
            })
        });
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
    /// Close the queue, then wait for the queued writes to commit.
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
        let mut done: Vec<Done> = Vec::with_capacity(n);
        let committed = conn.transaction(|conn| {
            for job in jobs {
                done.push(job(conn));
            }
            diesel::QueryResult::Ok(())
        });
        let committed = committed.map_err(|e| {
            tracing::error!(error = %e, writes = n, "a batch of writes did not commit");
            Arc::new(e)
        });
        tracing::trace!(writes = n, "batch committed");
        for d in done {
            d(committed.clone());
        }
    }
}
