"""How a capability declares its HTTP routes.

    router = Router(tag="brands")

    @router.post("/v1/brands", permission=Permission.BRANDS_WRITE, body=BrandCreate,
                 response=Brand, status=201, creates=True)
    def create_brand(call: Call) -> Reply: ...

The pipeline in `app.handle` does everything around the handler: authentication, the
permission check, rate limits, parsing and validating query and body, idempotency for
`creates=True`, serialising the response model and mapping errors. Handlers stay small.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, Field
from werkzeug.datastructures import Headers

from adgenius.tenancy.errors import PreconditionRequired
from adgenius.tenancy.principal import Principal
from adgenius.tenancy.roles import Permission

if TYPE_CHECKING:
    from google.cloud.firestore import DocumentSnapshot
    from google.cloud.firestore_v1.types import WriteResult

# `adgenius.tenancy.store` (Firestore, gRPC) is imported where it is used: the request pipeline
# imports this module for every request, also those answered before any data is needed.


class Access(StrEnum):
    PUBLIC = "public"  # no credentials (the OpenAPI document)
    USER = "user"  # a signed-in user, member of a tenant or not (onboarding)
    TENANT = "tenant"  # a member or API key of a tenant holding `permission`


@dataclass
class Call:
    """Everything a handler needs, already authenticated and validated."""

    principal: Principal | None
    params: dict[str, str]
    headers: Headers
    body: Any = None  # the validated body model, or bytes for `raw_body` routes
    query: Any = None  # the validated query model

    @property
    def tenant_id(self) -> str:
        assert self.principal is not None and self.principal.tenant_id is not None
        return self.principal.tenant_id

    @property
    def user(self) -> Principal:
        assert self.principal is not None
        return self.principal

    def if_match(self) -> str:
        value = self.headers.get("If-Match")
        if not value:
            raise PreconditionRequired("send If-Match with the ETag from GET to update this")
        return value


@dataclass
class Reply:
    body: BaseModel | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    raw_json: str | None = None  # an already serialised JSON body (the OpenAPI document)
    raw_bytes: bytes | None = None  # a file streamed as is (exports), with `media_type`
    media_type: str | None = None


def with_etag(
    body: BaseModel,
    version: DocumentSnapshot | WriteResult,
    *,
    status: int = 200,
    location: str | None = None,
) -> Reply:
    """A reply carrying the ETag of the document version it shows (what PATCH needs in If-Match)."""
    from adgenius.tenancy import store

    headers = {"ETag": store.etag_of(version)}
    if location:
        headers["Location"] = location
    return Reply(body, status=status, headers=headers)


Handler = Callable[[Call], Reply | BaseModel | None]


@dataclass
class Route:
    method: str
    path: str  # werkzeug rule syntax: /v1/brands/<brand_id>
    handler: Handler
    summary: str
    tag: str
    access: Access = Access.TENANT
    permission: Permission | None = None
    body: type[BaseModel] | None = None
    raw_body: str | None = None  # a media type ("image/*") when the body is not JSON
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    creates: bool = False  # honours Idempotency-Key
    errors: tuple[int, ...] = ()  # statuses beyond the common 400/401/403/404/429
    etag: bool = False  # the response carries an ETag header
    # Which values each path parameter may take; a parameter not named here is a document id
    # (`store.is_doc_id`). The pipeline checks them all before the handler runs, so an id that
    # cannot exist (or that Firestore reserves) is a 404 and never reaches Firestore.
    path_ids: dict[str, Callable[[str], bool]] = field(default_factory=dict)

    def path_id_ok(self, name: str, value: str) -> bool:
        if name in self.path_ids:
            return self.path_ids[name](value)
        from adgenius.tenancy import store

        return store.is_doc_id(value)

    @property
    def operation_id(self) -> str:
        return self.handler.__name__


class Router:
    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.routes: list[Route] = []

    def route(self, method: str, path: str, **options: Any) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            summary = options.pop("summary", None) or (handler.__doc__ or "").strip().split("\n")[0]
            self.routes.append(
                Route(
                    method=method,
                    path=path,
                    handler=handler,
                    summary=summary,
                    tag=self.tag,
                    **options,
                )
            )
            return handler

        return register

    def get(self, path: str, **options: Any) -> Callable[[Handler], Handler]:
        return self.route("GET", path, **options)

    def post(self, path: str, **options: Any) -> Callable[[Handler], Handler]:
        return self.route("POST", path, **options)

    def patch(self, path: str, **options: Any) -> Callable[[Handler], Handler]:
        return self.route("PATCH", path, **options)

    def put(self, path: str, **options: Any) -> Callable[[Handler], Handler]:
        return self.route("PUT", path, **options)

    def delete(self, path: str, **options: Any) -> Callable[[Handler], Handler]:
        return self.route("DELETE", path, status=204, **options)


# ------------------------------------------------------------------------------ shared models
T = TypeVar("T")

MAX_PAGE = 100


class ListQuery(BaseModel):
    """Cursor pagination: pass `next_cursor` of one page as `cursor` to get the next."""

    model_config = {"extra": "forbid"}

    limit: int = Field(default=25, ge=1, le=MAX_PAGE)
    cursor: str | None = Field(default=None, max_length=200)


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None
