#!/usr/bin/env bash
# Checks a running shop through its gateway: a TCC and an XA order are confirmed and take their stock, the same
# Idempotency-Key again returns the first order, and bad input is refused with 400. Exits 0 when all hold.
#   scripts/smoke.sh [gateway URL, default http://127.0.0.1:8080]
set -euo pipefail
gateway=${1:-http://127.0.0.1:8080}
sku=FLT-STICKER

fail() { echo "smoke: FAILED: $*" >&2; exit 1; }

# A number field of a flat JSON object, without needing jq.
field() { sed -n "s/.*\"$1\":\([0-9-]*\).*/\1/p"; }
string_field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }

key() { echo "smoke-$(date +%s)-$RANDOM-$RANDOM"; }

order() {
    curl -s -w '\n%{http_code}' -X POST "$gateway/api/orders" -H 'Content-Type: application/json' \
        -H "Idempotency-Key: $1" -d "{\"userId\":\"smoke\",\"sku\":\"$sku\",\"quantity\":$2,\"mode\":\"$3\"}"
}

before=$(curl -sf "$gateway/api/products/$sku") || fail "GET /api/products/$sku through the gateway"
available_before=$(echo "$before" | field available)
[[ -n "$available_before" ]] || fail "no stock figure in $before"

for mode in TCC XA; do
    response=$(order "$(key)" 1 "$mode")
    status=$(echo "$response" | tail -n1)
    body=$(echo "$response" | sed '$d')
    [[ "$status" == 201 ]] || fail "$mode order answered $status: $body"
    [[ "$(echo "$body" | string_field status)" == CONFIRMED ]] || fail "$mode order not CONFIRMED: $body"
    echo "smoke: $mode order confirmed: $body"
done

repeat_key=$(key)
first=$(order "$repeat_key" 1 TCC | sed '$d' | string_field orderId)
second=$(order "$repeat_key" 1 TCC | sed '$d' | string_field orderId)
[[ -n "$first" && "$first" == "$second" ]] || fail "same Idempotency-Key gave orders '$first' and '$second'"
echo "smoke: the same Idempotency-Key returned order $first twice"

after=$(curl -sf "$gateway/api/products/$sku")
available_after=$(echo "$after" | field available)
frozen_after=$(echo "$after" | field frozen)
[[ $((available_before - available_after)) -eq 3 ]] \
    || fail "3 units ordered but available went from $available_before to $available_after"
[[ "$frozen_after" == 0 ]] || fail "stock left frozen after confirmed orders: $after"
echo "smoke: stock of $sku went from $available_before to $available_after, nothing frozen"

status=$(order "$(key)" 0 TCC | tail -n1)
[[ "$status" == 400 ]] || fail "quantity 0 answered $status, expected 400"
echo "smoke: quantity 0 refused with 400"
echo "smoke: OK"
