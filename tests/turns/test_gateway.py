"""The gateway client against a real local HTTP server streaming scripted SSE."""

import json

import pytest

from core.gateway import Failure, GatewayClient, GatewayError, GatewayTimeouts, redact

KEY = "sk-gateway-test-secret"


def client(gateway, **kwargs) -> GatewayClient:
    kwargs.setdefault("retry_backoff", 0.01)
    return GatewayClient(url=gateway.url, api_key=KEY, **kwargs)


async def run(gateway, **kwargs):
    tokens: list[str] = []

    async def on_text(text: str) -> None:
        tokens.append(text)

    gateway_client = client(gateway, **{k: v for k, v in kwargs.items() if k in ("timeouts", "retries")})
    try:
        completion = await gateway_client.stream_chat(
            model="test-model", messages=[{"role": "user", "content": "hi"}], max_tokens=64, tools=kwargs.get("tools"), on_text=on_text
        )
    finally:
        await gateway_client.aclose()
    return completion, tokens


async def test_text_streams_and_the_completion_carries_usage(fake_gateway):
    fake_gateway.push({"kind": "text", "text": "Hello from the engine!"})
    completion, tokens = await run(fake_gateway)
    assert "".join(tokens) == "Hello from the engine!"
    assert (completion.text, completion.finish_reason, completion.tool_calls) == ("Hello from the engine!", "stop", [])
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (10, 5)


async def test_the_request_is_an_openai_streaming_request_with_the_bearer_key(fake_gateway):
    fake_gateway.push({"kind": "text", "text": "ok"})
    tools = [{"type": "function", "function": {"name": "knowledge_search", "parameters": {"type": "object"}}}]
    await run(fake_gateway, tools=tools)
    request = fake_gateway.requests[-1]
    assert request == {
        "model": "test-model",
        "messages": [{"role": "user", "content": "hi"}],
        "max_tokens": 64,
        "stream": True,
        "stream_options": {"include_usage": True},
        "tools": tools,
    }
    assert fake_gateway.headers[-1]["Authorization"] == f"Bearer {KEY}"


async def test_tool_call_deltas_are_assembled_by_index(fake_gateway):
    fake_gateway.push({"kind": "toolCall", "name": "lookup_order", "arguments": '{"id": "123"}', "id": "call_9"})
    completion, tokens = await run(fake_gateway)
    assert tokens == []
    assert completion.finish_reason == "tool_calls"
    (call,) = completion.tool_calls
    assert (call.id, call.name, json.loads(call.arguments)) == ("call_9", "lookup_order", {"id": "123"})


@pytest.mark.parametrize("status", [429, 500, 502, 503])
async def test_retryable_statuses_are_retried_before_any_token(fake_gateway, status):
    fake_gateway.push({"kind": "status", "status": status}, {"kind": "text", "text": "recovered"})
    completion, tokens = await run(fake_gateway)
    assert completion.text == "recovered"
    assert len(fake_gateway.requests) == 2


async def test_retries_stop_at_the_limit_with_the_status_in_the_error(fake_gateway):
    fake_gateway.push(*[{"kind": "status", "status": 503}] * 3)
    with pytest.raises(GatewayError, match="the gateway answered HTTP 503") as error:
        await run(fake_gateway, retries=2)
    assert len(fake_gateway.requests) == 3
    assert KEY not in str(error.value)


@pytest.mark.parametrize("status", [400, 401, 403, 404])
async def test_client_errors_are_not_retried(fake_gateway, status):
    fake_gateway.push({"kind": "status", "status": status}, {"kind": "text", "text": "never"})
    with pytest.raises(GatewayError, match=f"HTTP {status}"):
        await run(fake_gateway)
    assert len(fake_gateway.requests) == 1


async def test_an_unreachable_gateway_is_retried_then_reported():
    gateway_client = GatewayClient(url="http://127.0.0.1:1/v1", api_key=KEY, retries=1, retry_backoff=0.01)

    async def on_text(text):
        raise AssertionError("no text expected")

    with pytest.raises(GatewayError, match=r"could not be reached \(ConnectError\)") as error:
        await gateway_client.stream_chat(model="m", messages=[], max_tokens=1, on_text=on_text)
    await gateway_client.aclose()
    assert KEY not in str(error.value)


async def test_a_malformed_stream_is_an_error(fake_gateway):
    fake_gateway.push({"kind": "malformed"})
    with pytest.raises(GatewayError, match="malformed stream"):
        await run(fake_gateway)


def _choice(**fields):
    return {"choices": [{"index": 0, "finish_reason": None, **fields}]}


MALFORMED_CHUNKS = {
    "choices not a list": {"choices": "all of them"},
    "a choice not an object": {"choices": ["x"]},
    "a delta not an object": _choice(delta="hello"),
    "content not a string": _choice(delta={"content": 42}),
    "tool_calls not a list": _choice(delta={"tool_calls": {"index": 0}}),
    "a tool call not an object": _choice(delta={"tool_calls": [7]}),
    "a tool call index not an integer": _choice(delta={"tool_calls": [{"index": "0", "function": {"name": "x"}}]}),
    "a function not an object": _choice(delta={"tool_calls": [{"index": 0, "function": "x"}]}),
    "arguments not a string": _choice(delta={"tool_calls": [{"index": 0, "function": {"name": "x", "arguments": {"a": 1}}}]}),
    "a finish_reason not a string": _choice(delta={}, finish_reason=1),
    "usage not an object": {"choices": [], "usage": "lots"},
    "a non-numeric usage": {"choices": [], "usage": {"prompt_tokens": "ten", "completion_tokens": 5}},
    "a negative usage": {"choices": [], "usage": {"prompt_tokens": -1}},
    "a boolean usage": {"choices": [], "usage": {"completion_tokens": True}},
    "an event that is an array": [1, 2],
}


@pytest.mark.parametrize("chunk", list(MALFORMED_CHUNKS.values()), ids=list(MALFORMED_CHUNKS))
async def test_a_chunk_of_the_wrong_shape_is_a_malformed_stream_error(fake_gateway, chunk):
    fake_gateway.push({"kind": "raw", "events": [_choice(delta={"content": "Hi "}), chunk, "[DONE]"]})
    with pytest.raises(GatewayError, match="the gateway sent a malformed stream") as error:
        await run(fake_gateway)
    assert error.value.failure == Failure.MALFORMED


async def test_a_mid_stream_error_is_upstream_and_its_words_reach_only_the_log_redacted(fake_gateway, settings):
    settings.SMOOAI_GATEWAY_KEY = KEY
    fake_gateway.push({"kind": "raw", "events": [{"error": {"message": f"invalid key {KEY}; Authorization: Bearer {KEY}"}}]})
    with pytest.raises(GatewayError) as error:
        await run(fake_gateway)
    assert error.value.failure == Failure.UPSTREAM
    assert KEY not in str(error.value) and "[redacted]" in str(error.value)
    assert error.value.public_message == "the agent could not answer: its model service reported an error; please try again"


@pytest.mark.parametrize(
    "text, kept",
    [
        (f"key {KEY} refused", "key [redacted] refused"),
        ("Authorization: Bearer abc.def.ghi", "Authorization: [redacted]"),
        ('{"api_key": "s3cr3t-value", "user": "bob"}', '{"api_key": "[redacted]", "user": "bob"}'),
        ("token=eyJhbGciOi", "token=[redacted]"),
        ("unknown model sk-live-abcdef123456 for org", "unknown model [redacted] for org"),
        ("hash " + "a1" * 20 + " seen", "hash [redacted] seen"),
        ("plain words stay", "plain words stay"),
    ],
)
def test_redaction_takes_out_the_key_and_anything_key_like(settings, text, kept):
    settings.SMOOAI_GATEWAY_KEY = KEY
    assert redact(text) == kept


async def test_a_stream_dropped_after_some_tokens_is_an_error_and_never_retried(fake_gateway):
    fake_gateway.push({"kind": "drop", "text": "one two three four", "after": 2}, {"kind": "text", "text": "never"})
    tokens: list[str] = []

    async def on_text(text):
        tokens.append(text)

    gateway_client = client(fake_gateway)
    with pytest.raises(GatewayError, match="ended before the reply was complete"):
        await gateway_client.stream_chat(model="m", messages=[], max_tokens=1, on_text=on_text)
    await gateway_client.aclose()
    assert "".join(tokens) == "one two "
    assert len(fake_gateway.requests) == 1


async def test_no_first_byte_in_time_is_a_timeout(fake_gateway):
    fake_gateway.push({"kind": "hang", "seconds": 2})
    with pytest.raises(GatewayError, match=r"timed out waiting for its first byte \(0.3 s\)"):
        await run(fake_gateway, timeouts=GatewayTimeouts(first_byte=0.3, idle=5))


async def test_a_stall_between_chunks_is_an_idle_timeout(fake_gateway):
    fake_gateway.push({"kind": "stall", "text": "one two three", "after": 1, "seconds": 2})
    with pytest.raises(GatewayError, match=r"timed out waiting for the next chunk \(0.3 s\)"):
        await run(fake_gateway, timeouts=GatewayTimeouts(first_byte=5, idle=0.3))


async def test_deltas_arriving_apart_are_forwarded_one_by_one(fake_gateway):
    fake_gateway.push({"kind": "slow", "text": "one two three four", "delay": 0.05})
    _, tokens = await run(fake_gateway)
    assert tokens == ["one ", "two ", "three ", "four"]


async def test_deltas_arriving_together_are_forwarded_together(fake_gateway):
    text = " ".join(f"word{i}" for i in range(40))
    fake_gateway.push({"kind": "burst", "text": text})
    _, tokens = await run(fake_gateway)
    assert "".join(tokens) == text
    assert len(tokens) < 40 // 4  # one network read usually carries it all
