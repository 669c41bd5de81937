package io.flotilla.lockservice.locks;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Locks by name for clients in any language; every acquisition carries a fencing token. */
@RestController
@RequestMapping("/v1/locks")
public class LockController {

    private final LockService locks;

    public LockController(LockService locks) {
        this.locks = locks;
    }

    @Operation(summary = "Acquire a lock, waiting up to waitMs; 409 when someone else still holds it")
    @PostMapping("/{name}")
    public LockResponse acquire(@Parameter(description = "lock name, 1..256 characters") @PathVariable("name") String name,
            @RequestBody AcquireRequest request) throws InterruptedException {
        return locks.acquire(name, request);
    }

    @Operation(summary = "Renew the lease of a held lock; 409 when owner does not hold it")
    @PutMapping("/{name}/lease")
    public LockResponse renew(@PathVariable("name") String name, @RequestBody RenewRequest request) {
        return locks.renew(name, request);
    }

    @Operation(summary = "Release a lock; 409 when owner does not hold it")
    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void release(@PathVariable("name") String name,
            @Parameter(description = "the holder") @RequestParam("owner") String owner) {
        locks.release(name, owner);
    }

    @Operation(summary = "Who holds a lock, with its token and expiry; 404 when it is free")
    @GetMapping("/{name}")
    public LockResponse inspect(@PathVariable("name") String name) {
        return locks.inspect(name).orElseThrow(() -> new LockNotFoundException(name));
    }
}
