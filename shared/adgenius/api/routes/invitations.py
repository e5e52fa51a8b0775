"""Inviting people into the tenant and accepting invitations."""

from __future__ import annotations

from adgenius.api.routing import Access, Call, Page, Reply, Router
from adgenius.tenancy import invitations, members
from adgenius.tenancy.roles import Permission

router = Router(tag="invitations")


@router.post(
    "/v1/invitations",
    permission=Permission.INVITATIONS_WRITE,
    body=invitations.InvitationCreate,
    response=invitations.Invitation,
    status=201,
    creates=True,
)
def create_invitation(call: Call) -> Reply:
    """Invite an email address with a role (and optionally a brand limit)."""
    inv = invitations.create_invitation(call.tenant_id, call.body, call.user)
    return Reply(inv, status=201, headers={"Location": f"/v1/invitations/{inv.id}"})


@router.get(
    "/v1/invitations",
    permission=Permission.INVITATIONS_READ,
    response=Page[invitations.Invitation],
)
def list_invitations(call: Call) -> Page[invitations.Invitation]:
    """Invitations of the tenant, pending and accepted."""
    return Page[invitations.Invitation](items=invitations.list_invitations(call.tenant_id))


@router.post(
    "/v1/invitations/<inv_id>/accept",
    access=Access.USER,
    response=members.Member,
    errors=(409,),
)
def accept_invitation(call: Call) -> members.Member:
    """Join the inviting tenant (the caller's verified email must be the invited one)."""
    return invitations.accept_invitation(call.params["inv_id"], call.user)


@router.delete("/v1/invitations/<inv_id>", permission=Permission.INVITATIONS_WRITE)
def delete_invitation(call: Call) -> None:
    """Withdraw an invitation."""
    invitations.delete_invitation(call.tenant_id, call.params["inv_id"], call.user)
