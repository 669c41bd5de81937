#!/usr/bin/env bash
# Checks a running shop through its gateway: a TCC and an XA order are confirmed and take their stock, the same
# Idempotency-Key again returns the first order, bad input is refused with 400, and a cart kept in the HTTP session
# is seen on every read, unchanged by refused input, and checked out into a confirmed order. Exits 0 when all hold.
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

# A cart in the HTTP session (cookie SESSION, kept in a cookie jar): filled, read back several times (the gateway
# spreads the requests over the order replicas, which share the session store), refused bad input leaves it as it
# was, and its checkout places a confirmed order and empties it.
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
cart() { curl -s -w '\n%{http_code}' -c "$jar" -b "$jar" "$@"; }
put_item() { cart -X PUT "$gateway/api/cart/items/$1" -H 'Content-Type: application/json' -d "{\"quantity\":$2}"; }
quantity_in_cart() { cart "$gateway/api/cart" | sed '$d' | field quantity; }

status=$(put_item "$sku" 2 | tail -n1)
[[ "$status" == 200 ]] || fail "PUT /api/cart/items/$sku answered $status"
grep -q SESSION "$jar" || fail "no SESSION cookie after adding to the cart"
for _ in 1 2 3 4; do
    [[ "$(quantity_in_cart)" == 2 ]] || fail "the cart does not hold 2 x $sku: $(cart "$gateway/api/cart")"
done
for bad in "NO-SUCH-SKU 1" "$sku 0" "$sku 100000"; do
    # shellcheck disable=SC2086
    status=$(put_item $bad | tail -n1)
    [[ "$status" == 400 ]] || fail "PUT /api/cart/items with '$bad' answered $status, expected 400"
done
[[ "$(quantity_in_cart)" == 2 ]] || fail "refused input changed the cart: $(cart "$gateway/api/cart")"
echo "smoke: the cart holds 2 x $sku on every read; an unknown sku and quantities 0 and 100000 refused with 400"

response=$(cart -X POST "$gateway/api/cart/checkout" -H 'Content-Type: application/json' -d '{"userId":"smoke"}')
status=$(echo "$response" | tail -n1)
body=$(echo "$response" | sed '$d')
[[ "$status" == 201 ]] || fail "checkout answered $status: $body"
[[ "$(echo "$body" | string_field status)" == CONFIRMED ]] || fail "checkout's order not CONFIRMED: $body"
[[ "$(cart "$gateway/api/cart" | sed '$d')" == *'"items":[]'* ]] || fail "the cart is not empty after checkout"
status=$(cart -X POST "$gateway/api/cart/checkout" -H 'Content-Type: application/json' -d '{"userId":"smoke"}' | tail -n1)
[[ "$status" == 409 ]] || fail "checkout of an empty cart answered $status, expected 409"
available_cart=$(curl -sf "$gateway/api/products/$sku" | field available)
[[ $((available_after - available_cart)) -eq 2 ]] \
    || fail "2 units checked out but available went from $available_after to $available_cart"
echo "smoke: cart checked out: $body"
echo "smoke: OK"
