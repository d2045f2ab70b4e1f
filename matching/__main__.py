"""Offline CLI: ``python -m matching rank|simulate|train``; bad input exits 2 with a message."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace

from matching.acceptance import train_acceptance
from matching.engine import propose
from matching.index import PoolIndex
from matching.io import (
    InputError,
    load_json,
    parse_history,
    parse_pool,
    parse_request,
    parse_stream,
    parse_weights,
    quota_json,
)
from matching.simulate import POLICIES, simulate
from matching.types import Member, Proposal

EXIT_BAD_INPUT = 2


def proposal_json(proposal: Proposal, lang: str = "sv") -> dict:
    """Return the documented JSON shape of a proposal."""
    return {
        "request": proposal.request_id,
        "group": list(proposal.group),
        "reserve": list(proposal.reserve),
        "ranked": [
            {
                "member": c.member_id,
                "score": round(c.score, 4),
                "parts": {k: round(v, 4) for k, v in c.parts.items()},
                "reasons": [r.text(lang) for r in c.reasons],
            }
            for c in proposal.ranked
        ],
        "excluded": {mid: ex.reason.text(lang) for mid, ex in proposal.excluded.items()},
        "unmet_quotas": unmet_json(proposal.unmet_quotas, lang),
    }


def _members(args: argparse.Namespace) -> list[Member]:
    members = parse_pool(load_json(args.pool), args.pool)
    if getattr(args, "history", None):
        extra = parse_history(load_json(args.history), {m.id for m in members}, args.history)
        members = [replace(m, history=m.history + tuple(extra.get(m.id, ()))) for m in members]
    return members


def _weights(args: argparse.Namespace):
    return parse_weights(load_json(args.weights), args.weights) if args.weights else None


def cmd_rank(args: argparse.Namespace) -> dict:
    """Propose a group for one request."""
    members = _members(args)
    request = parse_request(load_json(args.request), 0, args.request)
    model = train_acceptance(members, seed=args.seed)
    print(f"acceptance: {model.note}", file=sys.stderr)
    proposal = propose(
        PoolIndex(members), request, weights=_weights(args), model=model, top=args.top
    )
    return proposal_json(proposal, args.lang)


def unmet_json(unmet, lang: str = "sv") -> list[dict]:
    """Return the documented JSON shape of unmet quotas (as ``rank`` prints them)."""
    return [{"quota": quota_json(u.quota), "reason": u.reason.text(lang)} for u in unmet]


def cmd_simulate(args: argparse.Namespace) -> dict:
    """Run a stream of requests with one policy and report metrics."""
    members = _members(args)
    requests = parse_stream(load_json(args.requests), args.requests)
    result = simulate(members, requests, policy=args.policy, seed=args.seed, weights=_weights(args))
    for r in result["per_request"]:
        r["unmet_quotas"] = unmet_json(r["unmet_quotas"], args.lang)
    if not args.per_request:
        result["per_request"] = [
            {k: r[k] for k in ("request", "satisfied", "count", "eligible", "selected")}
            | ({"violations": r["violations"]} if r["violations"] else {})
            | ({"unmet_quotas": r["unmet_quotas"]} if r["unmet_quotas"] else {})
            for r in result["per_request"]
        ]
    return result


def cmd_train(args: argparse.Namespace) -> dict:
    """Train the acceptance model from history and report its quality."""
    model = train_acceptance(_members(args), seed=args.seed)
    return {
        "source": model.source,
        "samples": model.n_samples,
        "roc_auc": model.auc,
        "note": model.note,
    }


def parser() -> argparse.ArgumentParser:
    """Return the argument parser."""
    p = argparse.ArgumentParser(
        prog="python -m matching", description="Levande bibliotek matching engine"
    )
    sub = p.add_subparsers(dest="command", required=True)
    rank_p = sub.add_parser("rank", help="propose a group for one request")
    rank_p.add_argument("--request", required=True)
    rank_p.add_argument("--top", type=int, default=20, help="ranked people to list (default 20)")
    sim_p = sub.add_parser("simulate", help="run a stream of requests and report metrics")
    sim_p.add_argument("--requests", required=True)
    sim_p.add_argument("--policy", choices=sorted(POLICIES), default="ours")
    sim_p.add_argument("--per-request", action="store_true", help="include every request's detail")
    train_p = sub.add_parser("train", help="train the acceptance model and report ROC AUC")
    for sp in (rank_p, sim_p, train_p):
        sp.add_argument("--pool", required=True)
        sp.add_argument("--history")
        sp.add_argument("--seed", type=int, default=0)
    for sp in (rank_p, sim_p):
        sp.add_argument("--weights", help="JSON object of weights (see docs/matching.md)")
        sp.add_argument("--lang", choices=("sv", "en"), default="sv")
    rank_p.set_defaults(run=cmd_rank)
    sim_p.set_defaults(run=cmd_simulate)
    train_p.set_defaults(run=cmd_train)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return the exit code."""
    args = parser().parse_args(argv)
    try:
        result = args.run(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
