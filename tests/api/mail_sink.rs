//! A small real SMTP server for the mail tests: it speaks enough ESMTP for
//! lettre (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), keeps what it received
//! and can refuse recipients with 550.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Debug, Clone)]
pub struct Received {
    pub rcpt: Vec<String>,
    pub data: String,
}

#[derive(Clone)]
pub struct Sink {
    pub port: u16,
    pub messages: Arc<Mutex<Vec<Received>>>,
    pub reject: Arc<AtomicBool>,
}

impl Sink {
    pub async fn start() -> Sink {
        Sink::start_on(0).await
    }

    pub async fn start_on(port: u16) -> Sink {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind the SMTP sink");
        let port = listener.local_addr().expect("addr").port();
        let sink = Sink {
            port,
            messages: Arc::new(Mutex::new(Vec::new())),
            reject: Arc::new(AtomicBool::new(false)),
        };
        let s = sink.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, s.clone()));
            }
        });
        sink
    }

    pub fn received(&self) -> Vec<Received> {
        self.messages.lock().expect("lock").clone()
    }
}

/// A port nothing listens on (yet).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

async fn session(stream: tokio::net::TcpStream, sink: Sink) {
    let (r, mut w) = stream.into_split();
    let mut lines = BufReader::new(r).lines();
    if w.write_all(b"220 sink ESMTP\r\n").await.is_err() {
        return;
    }
    let mut rcpt = Vec::new();
    while let Ok(Some(line)) = lines.next_line().await {
        let upper = line.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
        } else if upper.starts_with("MAIL FROM") {
            rcpt.clear();
            b"250 2.1.0 ok\r\n"
        } else if upper.starts_with("RCPT TO") {
            if sink.reject.load(Ordering::SeqCst) {
                b"550 5.1.1 no such mailbox\r\n"
            } else {
                rcpt.push(
                    line[8..]
                        .trim()
                        .trim_start_matches('<')
                        .trim_end_matches('>')
                        .to_ascii_lowercase(),
                );
                b"250 2.1.5 ok\r\n"
            }
        } else if upper == "DATA" {
            if w.write_all(b"354 go ahead\r\n").await.is_err() {
                return;
            }
            let mut data = String::new();
            while let Ok(Some(l)) = lines.next_line().await {
                if l == "." {
                    break;
                }
                data.push_str(l.strip_prefix('.').unwrap_or(&l));
                data.push_str("\r\n");
            }
            sink.messages.lock().expect("lock").push(Received {
                rcpt: std::mem::take(&mut rcpt),
                data,
            });
            b"250 2.0.0 queued\r\n"
        } else if upper.starts_with("RSET") || upper.starts_with("NOOP") {
            b"250 2.0.0 ok\r\n"
        } else if upper.starts_with("QUIT") {
            let _ = w.write_all(b"221 2.0.0 bye\r\n").await;
            return;
        } else {
            b"502 5.5.2 not implemented\r\n"
        };
        if w.write_all(reply).await.is_err() {
            return;
        }
    }
}
