"""A small OpenAI-compatible chat-completions server on 127.0.0.1, for tests.

Real HTTP (``http.server`` in a thread), ``POST /v1/chat/completions`` answered with
server-sent events (``"stream": true``) or one JSON object. ``server.script`` maps a
scenario to a completion; ``server.scenario`` picks the one to play; every request body
is kept in ``server.requests`` so a test can read the prompt that was sent.
``"sleep:<s>"`` waits ``s`` seconds before answering (a slow endpoint); ``"echo"`` quotes
the first sentence of passage [1] of the prompt (a model that copies its source).
``server.hold``, when set to an Event, keeps each stream open after its first word until
the Event is set; ``server.holding`` is set once a stream is held there.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    server: LLMServer

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        if self.path.rstrip("/") != "/v1/chat/completions":
            self.send_error(404)
            return
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append({"body": body, "headers": dict(self.headers)})
        completion = self.server.script[self.server.scenario]
        if completion == "echo":
            from assistant.answers.llm import DATA_BEGIN, DATA_END
            from assistant.text.sentences import split_sentences

            user = body["messages"][-1]["content"]
            data = json.loads(user.split(DATA_BEGIN + "\n", 1)[1].split("\n" + DATA_END)[0])
            text = data[0]["texte"] if data else ""
            spans = split_sentences(text)
            completion = f"{text[spans[-1].start : spans[-1].end]} [1]" if spans else "Rien."
        if completion.startswith("sleep:"):
            time.sleep(float(completion.split(":", 1)[1]))
            completion = "Trop tard [1]."
        if not body.get("stream"):
            payload = json.dumps(
                {"choices": [{"index": 0, "message": {"role": "assistant", "content": completion}}]}
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        words = completion.split(" ")
        for i, word in enumerate(words):  # one event per word, as a model streams tokens
            delta = {"content": word + (" " if i < len(words) - 1 else "")}
            event = {"id": "x", "object": "chat.completion.chunk", "choices": [{"delta": delta}]}
            self.wfile.write(f"data: {json.dumps(event, ensure_ascii=False)}\n\n".encode())
            self.wfile.flush()
            if i == 0 and self.server.hold is not None:  # a stream kept open by the test
                self.server.holding.set()
                self.server.hold.wait(60)
            time.sleep(self.server.delay)
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()


class LLMServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, script: dict[str, str]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script = script
        self.scenario = next(iter(script))
        self.requests: list[dict] = []
        self.delay = 0.0  # seconds between two streamed words
        self.hold: threading.Event | None = None  # streams wait for it after their first word
        self.holding = threading.Event()  # a stream is waiting for ``hold``
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    def handle_error(self, request, client_address) -> None:
        pass  # a client that gave up (timeout test) is expected, not an error

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def __enter__(self) -> LLMServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()
