"""The AdGenius HTTP API (v1): one Cloud Function (`api`) serving `/v1/...`.

- `routing`: `Router`, `Call`, `Reply` - how a capability declares its routes.
- `routes/`: one module per capability; `routes.ROUTERS` is the route table.
- `app.handle(request)`: the whole request pipeline (CORS, auth, limits, validation, errors).
- `openapi.document()`: the OpenAPI 3.1 contract generated from the same pydantic models.
"""
