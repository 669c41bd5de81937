package io.flotilla.registryservice.console;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

import java.net.URI;

/**
 * Signing in to the console with the registry's write token, and out again. Reading needs no sign-in, as reading
 * the registry's API needs no token.
 */
@Hidden
@ConditionalOnConsole
@Controller("consoleLoginController")
@RequestMapping("/ui")
class LoginController {

    private final ConsoleToken token;

    LoginController(ConsoleToken token) {
        this.token = token;
    }

    @GetMapping({"", "/"})
    ResponseEntity<Void> home() {
        return ResponseEntity.status(303).location(URI.create("/ui/services")).build();
    }

    @GetMapping("/login")
    ModelAndView form(HttpServletRequest request) {
        ModelAndView page = new ModelAndView("console/login");
        page.addObject("tokenRequired", token.required());
        page.addObject("signedIn", token.signedIn(request));
        return page;
    }

    @PostMapping("/login")
    Object signIn(@RequestParam(name = "token", defaultValue = "") String candidate, HttpServletRequest request) {
        if (!token.matches(candidate.trim())) {
            ModelAndView page = new ModelAndView("console/login");
            page.addObject("tokenRequired", token.required());
            page.addObject("signedIn", false);
            page.addObject("error", "That is not the registry's token.");
            page.setStatus(org.springframework.http.HttpStatus.UNAUTHORIZED);
            return page;
        }
        return ResponseEntity.status(303).location(URI.create("/ui/services"))
                .header(HttpHeaders.SET_COOKIE, token.cookie(candidate.trim(), request.isSecure()).toString()).build();
    }

    @PostMapping("/logout")
    ResponseEntity<Void> signOut(HttpServletRequest request) {
        return ResponseEntity.status(303).location(URI.create("/ui/services"))
                .header(HttpHeaders.SET_COOKIE, token.cleared(request.isSecure()).toString()).build();
    }
}
