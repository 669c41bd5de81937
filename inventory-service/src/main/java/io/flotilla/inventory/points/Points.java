package io.flotilla.inventory.points;

/** A user's loyalty points: how many confirmed orders earned them ({@code entries}) and their sum. */
public record Points(String userId, long entries, long points) {
}
