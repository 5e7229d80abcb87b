//! Real SMTP servers for the mail tests and the outbox benchmark:
//! - mailcrab (a Rust SMTP test server, in-process) accepts everything and
//!   hands every message over with its envelope and raw source;
//! - aiosmtpd (Python, tests/smtp/aiosmtpd_sink.py) answers 550 or 451 to
//!   chosen recipients, for the rejection and retry tests.
use std::io::{BufRead, BufReader};
use std::net::{IpAddr, Ipv4Addr};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    /// Envelope recipients (RCPT TO), lower case, without angle brackets.
    pub rcpt: Vec<String>,
    /// The message source as it came over DATA.
    pub data: String,
}

fn clean_rcpt(r: &str) -> String {
    r.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_ascii_lowercase()
}

/// A port nothing listens on (yet).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

async fn wait_listening(port: u16, within: Duration) {
    let start = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            start.elapsed() < within,
            "no SMTP server came up on port {port}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Wait until `count` gives the same figure twice, 100 ms apart (at most 5 s).
async fn settle(count: impl Fn() -> usize) {
    let start = Instant::now();
    let mut last = count();
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = count();
        if now == last || start.elapsed() > Duration::from_secs(5) {
            return;
        }
        last = now;
    }
}

/// mailcrab on 127.0.0.1:`port`, with a task that keeps every message it
/// broadcasts (its channel holds only 128, so it is drained at once).
pub struct Crab {
    pub port: u16,
    messages: Arc<Mutex<Vec<Received>>>,
    lagged: Arc<Mutex<u64>>,
    /// Cancels mailcrab's token (its type is tokio-util's, not named here).
    stop: Box<dyn Fn() + Send + Sync>,
}

impl Crab {
    pub async fn start() -> Crab {
        Crab::start_on(free_port()).await
    }

    pub async fn start_on(port: u16) -> Crab {
        let handle = mailcrab::development_mail_server(IpAddr::V4(Ipv4Addr::LOCALHOST), port).await;
        let mailcrab::TestMailServerHandle { token, mut rx } = handle;
        let messages = Arc::new(Mutex::new(Vec::new()));
        let lagged = Arc::new(Mutex::new(0u64));
        let (m, l) = (messages.clone(), lagged.clone());
        tokio::spawn(async move {
            use tokio::sync::broadcast::error::RecvError;
            loop {
                match rx.recv().await {
                    Ok(msg) => {
                        let data = msg
                            .raw_bytes()
                            .map(|b| String::from_utf8_lossy(&b).into_owned())
                            .unwrap_or_default();
                        let rcpt = msg.envelope_recipients.iter().map(|r| clean_rcpt(r));
                        m.lock().expect("lock").push(Received {
                            rcpt: rcpt.collect(),
                            data,
                        });
                    }
                    Err(RecvError::Lagged(n)) => *l.lock().expect("lock") += n,
                    Err(RecvError::Closed) => break,
                }
            }
        });
        wait_listening(port, Duration::from_secs(10)).await;
        Crab {
            port,
            messages,
            lagged,
            stop: Box::new(move || token.cancel()),
        }
    }

    /// What arrived so far. A message is handed over just before the server's
    /// 250 reply, so the collecting task may be a moment behind the sender:
    /// wait until the count holds still for 100 ms.
    pub async fn received(&self) -> Vec<Received> {
        settle(|| self.count()).await;
        let lagged = *self.lagged.lock().expect("lock");
        assert_eq!(lagged, 0, "the test lost messages mailcrab broadcast");
        self.messages.lock().expect("lock").clone()
    }

    pub fn count(&self) -> usize {
        self.messages.lock().expect("lock").len() + *self.lagged.lock().expect("lock") as usize
    }

    /// Stop listening (connections already open finish their sessions) and
    /// wait until the port refuses connections, so it can be taken again.
    pub async fn stop(&self) {
        (self.stop)();
        let start = Instant::now();
        while tokio::net::TcpStream::connect(("127.0.0.1", self.port))
            .await
            .is_ok()
        {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "mailcrab still listens on {}",
                self.port
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// The Python interpreter that can import aiosmtpd: SIPAS_TEST_PYTHON, then
/// python3 on PATH, then Debian's /usr/bin/python3.
pub fn aiosmtpd_python() -> Option<String> {
    let required = std::env::var("SIPAS_TEST_AIOSMTPD").is_ok_and(|v| v == "1");
    let candidates: Vec<String> = std::env::var("SIPAS_TEST_PYTHON")
        .ok()
        .into_iter()
        .chain(["python3".to_string(), "/usr/bin/python3".to_string()])
        .collect();
    let found = candidates.into_iter().find(|py| {
        Command::new(py)
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    if required {
        assert!(
            found.is_some(),
            "SIPAS_TEST_AIOSMTPD=1 but no Python here can import aiosmtpd \
             (tried SIPAS_TEST_PYTHON, python3, /usr/bin/python3)"
        );
    }
    found
}

/// tests/smtp/aiosmtpd_sink.py in a child process: recipients whose local
/// part starts with "reject" get 550, "tempfail" get 451 on their first two
/// attempts; everyone else is accepted.
pub struct Aiosmtpd {
    pub port: u16,
    child: Child,
    messages: Arc<Mutex<Vec<Received>>>,
}

impl Aiosmtpd {
    pub async fn start(python: &str) -> Aiosmtpd {
        let port = free_port();
        let script =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp/aiosmtpd_sink.py");
        let mut child = Command::new(python)
            .arg(&script)
            .arg(port.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start aiosmtpd");
        let stdout = child.stdout.take().expect("stdout");
        let messages = Arc::new(Mutex::new(Vec::new()));
        let m = messages.clone();
        // One line per accepted message: "DATA rcpt1,rcpt2 <base64 source>".
        std::thread::spawn(move || {
            use base64::Engine;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let mut parts = line.splitn(3, ' ');
                if parts.next() != Some("DATA") {
                    continue;
                }
                let rcpt = parts.next().unwrap_or_default();
                let data = base64::engine::general_purpose::STANDARD
                    .decode(parts.next().unwrap_or_default())
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default();
                m.lock().expect("lock").push(Received {
                    rcpt: rcpt.split(',').map(clean_rcpt).collect(),
                    data,
                });
            }
        });
        wait_listening(port, Duration::from_secs(20)).await;
        Aiosmtpd {
            port,
            child,
            messages,
        }
    }

    pub async fn received(&self) -> Vec<Received> {
        settle(|| self.messages.lock().expect("lock").len()).await;
        self.messages.lock().expect("lock").clone()
    }
}

impl Drop for Aiosmtpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
