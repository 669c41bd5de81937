package io.flotilla.order.cart;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CartTests {

    @Test
    void aLineKeepsItsPlaceWhenItsQuantityChanges() {
        Cart cart = Cart.empty().with("A", 1).with("B", 2).with("A", 5);
        assertThat(cart.lines()).containsExactly(new Cart.Line("A", 5), new Cart.Line("B", 2));
        assertThat(cart.without("A").lines()).containsExactly(new Cart.Line("B", 2));
    }

    @Test
    void everyChangeOfContentNamesANewCheckout() {
        Cart cart = Cart.empty().with("A", 1);
        assertThat(cart.with("A", 2).checkoutId()).isNotEqualTo(cart.checkoutId());
        assertThat(cart.without("A").checkoutId()).isNotEqualTo(cart.checkoutId());
    }

    @Test
    void aCheckoutWithAnUnknownOutcomeKeepsItsIdSoThatItReplays() {
        Cart cart = Cart.empty().with("A", 1).with("B", 1);
        Cart unsettled = cart.withoutPlaced(List.of("A"), false);
        assertThat(unsettled.lines()).containsExactly(new Cart.Line("B", 1));
        assertThat(unsettled.checkoutId()).isEqualTo(cart.checkoutId());
        assertThat(cart.withoutPlaced(List.of("A"), true).checkoutId()).isNotEqualTo(cart.checkoutId());
    }

    @Test
    void theCartSurvivesJavaSerializationAsSessionStoresUseIt() throws Exception {
        Cart cart = Cart.empty().with("A", 3).with("B", 1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(cart);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(cart);
        }
    }
}
