"""Test doubles. `FakeOpenAIServer` speaks the OpenAI wire format on 127.0.0.1 so the real
`openai` client (retries, timeouts, error mapping and all) runs in tests.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from enum import StrEnum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import openai

from coaching.models import Draft
from coaching.ports import Classifier
from coaching.taxonomy import Moment, PatternId, Safety, Style


class ChatMode(StrEnum):
    OK = "ok"  # answer with `answer`
    SLOW = "slow"  # sleep `slow_seconds`, then answer like OK
    RATE_LIMITED = "429"
    SERVER_ERROR = "500"
    MALFORMED_JSON = "malformed_json"  # content is not JSON at all
    UNKNOWN_PATTERN = "unknown_pattern"  # valid JSON, a pattern id outside the taxonomy
    MISSING_FIELD = "missing_field"  # valid JSON, `phrasings` left out
    REFUSAL = "refusal"  # content null, message.refusal set
    TRUNCATED = "truncated"  # finish_reason "length", content cut in half
    DISCONNECT = "disconnect"  # close the connection without answering


class ModerationMode(StrEnum):
    CLEAN = "clean"
    SELF_HARM = "self_harm"
    VIOLENCE = "violence"
    NOT_FOUND = "404"  # the provider has no moderation endpoint (llama-server)
    RATE_LIMITED = "429"


MODERATION_CATEGORIES = (
    "harassment",
    "harassment/threatening",
    "hate",
    "hate/threatening",
    "illicit",
    "illicit/violent",
    "self-harm",
    "self-harm/instructions",
    "self-harm/intent",
    "sexual",
    "sexual/minors",
    "violence",
    "violence/graphic",
)
_FLAGGED_BY_MODE: dict[ModerationMode, tuple[str, ...]] = {
    ModerationMode.CLEAN: (),
    ModerationMode.SELF_HARM: ("self-harm", "self-harm/intent"),
    ModerationMode.VIOLENCE: ("violence", "harassment/threatening"),
}


def make_answer(
    *,
    rupture: bool = True,
    moment: Moment | None = Moment.VULNERABILITY_DISMISSED,
    patterns: list[tuple[PatternId, float]] | None = None,
    safety: Safety = Safety.NONE,
    safety_check: str = "",
) -> dict[str, Any]:
    """A well-formed LLM answer, built from the taxonomy, that tests can alter."""
    hits = patterns if patterns is not None else [(PatternId.MINIMIZING, 0.8)]
    return {
        "safety": safety.value,
        "safety_check": safety_check,
        "rupture": rupture,
        "moment": moment.value if moment is not None else None,
        "patterns": [
            {"id": pid.value, "confidence": conf, "evidence": f"evidence for {pid.value}"}
            for pid, conf in hits
        ],
        "phrasings": [
            {"style": style.value, "text": f"I felt hurt ({style.value}). Could we talk?"}
            for style in Style
        ],
        "partner_prompt": "How can I show up for you better in moments like that?",
        "perspective": "They may have wanted to help and not known how.",
    }


@dataclass
class RecordedRequest:
    """One request as it arrived; `answered_at` stays None until (unless) it was answered."""

    path: str
    body: dict[str, Any]
    received_at: float
    answered_at: float | None = None


@dataclass
class _State:
    chat_mode: ChatMode = ChatMode.OK
    answer: dict[str, Any] = field(default_factory=make_answer)
    slow_seconds: float = 5.0
    moderation_mode: ModerationMode = ModerationMode.CLEAN
    moderation_delay: float = 0.0
    # Sent on 429/500 so the client retries at once; tests can raise it to test deadlines.
    retry_after_ms: int = 1
    # When set, sent as `Retry-After` (seconds or an HTTP date) instead of `retry-after-ms`.
    retry_after: str | None = None
    requests: list[RecordedRequest] = field(default_factory=list)


class FakeOpenAIServer:
    """POST /v1/chat/completions and POST /v1/moderations with settable fault modes."""

    def __init__(self) -> None:
        self._state = _State()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.fake = self
        # A short poll interval keeps stop() (and so every test's teardown) fast.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    # --- lifecycle -----------------------------------------------------------------------------

    def start(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # release handlers sleeping in SLOW mode
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def client(self, *, max_retries: int = 2) -> openai.AsyncOpenAI:
        return openai.AsyncOpenAI(base_url=self.base_url, api_key="test", max_retries=max_retries)

    # --- settings ------------------------------------------------------------------------------

    @property
    def chat_mode(self) -> ChatMode:
        return self._state.chat_mode

    @chat_mode.setter
    def chat_mode(self, mode: ChatMode) -> None:
        self._state.chat_mode = mode

    @property
    def answer(self) -> dict[str, Any]:
        return self._state.answer

    @answer.setter
    def answer(self, answer: dict[str, Any]) -> None:
        self._state.answer = answer

    @property
    def slow_seconds(self) -> float:
        return self._state.slow_seconds

    @slow_seconds.setter
    def slow_seconds(self, seconds: float) -> None:
        self._state.slow_seconds = seconds

    @property
    def moderation_mode(self) -> ModerationMode:
        return self._state.moderation_mode

    @moderation_mode.setter
    def moderation_mode(self, mode: ModerationMode) -> None:
        self._state.moderation_mode = mode

    @property
    def moderation_delay(self) -> float:
        return self._state.moderation_delay

    @moderation_delay.setter
    def moderation_delay(self, seconds: float) -> None:
        self._state.moderation_delay = seconds

    @property
    def retry_after_ms(self) -> int:
        return self._state.retry_after_ms

    @retry_after_ms.setter
    def retry_after_ms(self, ms: int) -> None:
        self._state.retry_after_ms = ms

    @property
    def retry_after(self) -> str | None:
        return self._state.retry_after

    @retry_after.setter
    def retry_after(self, value: str | None) -> None:
        self._state.retry_after = value

    # --- what was asked ------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._state.requests)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    @property
    def moderation_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith("/moderations")]

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._state.requests.append(request)

    def _sleep(self, seconds: float) -> None:
        self._stopping.wait(seconds)

    # --- responses -------------------------------------------------------------------------------

    def _chat_response(self, body: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, str]]:
        mode = self._state.chat_mode
        if mode is ChatMode.SLOW:
            self._sleep(self._state.slow_seconds)
        if mode is ChatMode.RATE_LIMITED:
            return self._error(429, "Rate limit reached", "rate_limit_exceeded")
        if mode is ChatMode.SERVER_ERROR:
            return self._error(500, "The server had an error", "server_error")
        content, refusal, finish_reason = self._chat_content(mode)
        return 200, _completion(body, content, refusal, finish_reason), {}

    def _chat_content(self, mode: ChatMode) -> tuple[str | None, str | None, str]:
        answer = json.loads(json.dumps(self._state.answer))  # deep copy
        if mode is ChatMode.MALFORMED_JSON:
            return "Sure! Here is the answer: {rupture: yes, patterns: [", None, "stop"
        if mode is ChatMode.UNKNOWN_PATTERN:
            answer["patterns"] = [{"id": "stonewalling", "confidence": 0.9, "evidence": "x"}]
        if mode is ChatMode.MISSING_FIELD:
            answer.pop("phrasings")
        if mode is ChatMode.REFUSAL:
            return None, "I'm sorry, I can't help with that request.", "stop"
        text = json.dumps(answer)
        if mode is ChatMode.TRUNCATED:
            return text[: len(text) // 2], None, "length"
        return text, None, "stop"

    def _moderation_response(
        self, body: dict[str, Any]
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        self._sleep(self._state.moderation_delay)
        mode = self._state.moderation_mode
        if mode is ModerationMode.RATE_LIMITED:
            return self._error(429, "Rate limit reached", "rate_limit_exceeded")
        if mode is ModerationMode.NOT_FOUND:
            # llama-server's answer to an unknown route.
            return (
                404,
                {"error": {"code": 404, "message": "File Not Found", "type": "not_found_error"}},
                {},
            )
        return 200, _moderation(_FLAGGED_BY_MODE[mode]), {}

    def _error(
        self, status: int, message: str, code: str
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        body = {"error": {"message": message, "type": code, "param": None, "code": code}}
        if self._state.retry_after is not None:
            return status, body, {"retry-after": self._state.retry_after}
        return status, body, {"retry-after-ms": str(self._state.retry_after_ms)}


def _completion(
    request: dict[str, Any], content: str | None, refusal: str | None, finish_reason: str
) -> dict[str, Any]:
    prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in request.get("messages", []))
    completion_tokens = len((content or refusal or "").split())
    return {
        "id": f"chatcmpl-fake-{time.monotonic_ns()}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.get("model", ""),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
                "logprobs": None,
                "finish_reason": finish_reason,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def _moderation(flagged: tuple[str, ...]) -> dict[str, Any]:
    return {
        "id": f"modr-fake-{time.monotonic_ns()}",
        "model": "omni-moderation-latest",
        "results": [
            {
                "flagged": bool(flagged),
                "categories": {c: c in flagged for c in MODERATION_CATEGORIES},
                "category_scores": {
                    c: 0.97 if c in flagged else 0.001 for c in MODERATION_CATEGORIES
                },
                "category_applied_input_types": {c: ["text"] for c in MODERATION_CATEGORIES},
            }
        ],
    }


class _Server(ThreadingHTTPServer):
    # Handlers may still be sleeping (SLOW mode) when a test ends: never join them on close.
    daemon_threads = True
    block_on_close = False
    fake: FakeOpenAIServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_POST(self) -> None:
        received_at = time.monotonic()
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        body: dict[str, Any] = json.loads(raw) if raw else {}
        fake = self.server.fake
        # Recorded on arrival: a test may look while a SLOW handler is still sleeping.
        record = RecordedRequest(self.path, body, received_at)
        fake._record(record)
        if self.path.endswith("/chat/completions") and fake.chat_mode is ChatMode.DISCONNECT:
            self.close_connection = True
            return
        if self.path.endswith("/chat/completions"):
            status, payload, headers = fake._chat_response(body)
        elif self.path.endswith("/moderations"):
            status, payload, headers = fake._moderation_response(body)
        else:
            status, payload, headers = 404, {"error": {"message": "not found"}}, {}
        # Stamped as the answer goes out, not after: the client may act on the reply before
        # this thread runs again, and a test reading the stamp then must see it.
        record.answered_at = time.monotonic()
        self._send(status, payload, headers)

    def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str]) -> None:
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (deadline); that is what the test wanted.
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        """Silence per-request logging."""


class FakeClock:
    """A monotonic clock that moves only when a test advances it."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakeClassifier:
    """Fallback double: delegates to a real classifier and counts how often it was asked."""

    def __init__(self, inner: Classifier) -> None:
        self._inner = inner
        self.calls: list[str] = []

    async def classify(self, text: str) -> Draft:
        self.calls.append(text)
        return await self._inner.classify(text)
