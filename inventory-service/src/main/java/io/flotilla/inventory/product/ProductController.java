package io.flotilla.inventory.product;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The catalogue with live stock counters. */
@RestController
@RequestMapping("/api/products")
public class ProductController {

    private final ProductRepository products;

    public ProductController(ProductRepository products) {
        this.products = products;
    }

    @Operation(summary = "List every product with its stock")
    @GetMapping
    public List<Product> list() {
        return products.findAll();
    }

    @Operation(summary = "Read one product with its stock")
    @GetMapping("/{sku}")
    public Product get(@Parameter(description = "the product's sku") @PathVariable String sku) {
        return products.findBySku(sku).orElseThrow(() -> new ProductNotFoundException(sku));
    }
}
