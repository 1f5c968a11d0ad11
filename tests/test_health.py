import pytest


async def test_healthz_answers_while_the_process_is_up(async_client):
    response = await async_client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.mark.django_db(transaction=True)
async def test_readyz_is_ready_when_database_and_layer_answer(async_client):
    response = await async_client.get("/readyz")
    assert (response.status_code, response.json()) == (200, {"status": "ready", "checks": {"database": "ok", "channelLayer": "ok"}})


@pytest.mark.django_db(transaction=True)
async def test_readyz_is_503_naming_a_database_that_does_not_answer(async_client, monkeypatch):
    import smooth.health

    def unreachable():
        raise ConnectionError("postgres://user:hunter2@db/x refused")

    monkeypatch.setattr(smooth.health, "_database", unreachable)
    response = await async_client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "unavailable", "channelLayer": "ok"}
    assert "hunter2" not in response.content.decode()


@pytest.mark.django_db(transaction=True)
async def test_readyz_is_503_naming_an_unreachable_channel_layer(async_client, settings):
    from channels.layers import channel_layers

    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]}}
    }
    channel_layers.backends.clear()
    try:
        response = await async_client.get("/readyz")
    finally:
        channel_layers.backends.clear()
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "channelLayer": "unavailable"}


async def test_readyz_is_503_while_the_process_shuts_down(async_client, monkeypatch):
    from chat import lifecycle

    monkeypatch.setattr(lifecycle, "_draining", True)
    response = await async_client.get("/readyz")
    assert (response.status_code, response.json()["status"]) == (503, "shutting down")
