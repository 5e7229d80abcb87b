"""An SMTP server for sipas's mail tests, on aiosmtpd (Debian python3-aiosmtpd
or `pip install aiosmtpd`).

    python3 tests/smtp/aiosmtpd_sink.py PORT

Listens on 127.0.0.1:PORT. RCPT TO a local part starting with "reject" gets
"550 5.1.1 mailbox unavailable"; one starting with "tempfail" gets
"451 4.3.0 try again later" on its first two attempts and is accepted after.
Every accepted message is printed as one line, "DATA rcpt1,rcpt2 BASE64",
and flushed. The server stops when its standard input closes (the test ends).
"""
import base64
import sys

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self):
        self.tempfails = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("reject"):
            return "550 5.1.1 mailbox unavailable"
        if local.startswith("tempfail"):
            seen = self.tempfails.get(address, 0)
            self.tempfails[address] = seen + 1
            if seen < 2:
                return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        line = "DATA %s %s\n" % (
            ",".join(envelope.rcpt_tos),
            base64.b64encode(data).decode("ascii"),
        )
        sys.stdout.write(line)
        sys.stdout.flush()
        return "250 2.0.0 queued"


def main():
    port = int(sys.argv[1])
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
