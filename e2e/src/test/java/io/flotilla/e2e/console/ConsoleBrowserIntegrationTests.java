package io.flotilla.e2e.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flotilla.e2e.stack.ShopStack;
import io.flotilla.e2e.stack.StackFile.ProcessLine;
import io.flotilla.testsupport.PortProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The registry's web console in a real browser (Debian's headless Chromium, driven by Selenium through Debian's
 * chromedriver), against a registry, a coordinator, two inventory replicas and the gateway started as processes
 * from {@code scripts/shop.stack}. The pages are never reloaded while the test waits: what it sees arrive comes
 * through the console's live parts. Screenshots go to {@code target/console-screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIntegrationTests {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Duration LIVE = Duration.ofSeconds(60);
    private static final Pattern REQUESTS = Pattern.compile(
            "http_server_requests_seconds_count\\{[^}]*uri=\"/api/products\"[^}]*} ([0-9.E]+)");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static ShopStack shop;
    private static WebDriver browser;
    private static String console;
    private static final Map<String, Double> pageLoads = new LinkedHashMap<>();

    @BeforeAll
    static void startTheShopAndTheBrowser(@TempDir Path dataDir, @TempDir Path browserProfile) {
        assertThat(new File(CHROMIUM)).as("Debian's chromium (scripts/prepare-test-servers.sh installs it)").isFile();
        assertThat(new File(CHROMEDRIVER)).as("Debian's chromium-driver (scripts/prepare-test-servers.sh installs it)")
                .isFile();
        ShopStack stack = ShopStack.of(ROOT, dataDir);
        // The console's parts of the shop only; the second inventory replica is started later, as a new instance.
        for (String unused : List.of("id-service", "lock-service", "order-service")) {
            stack.replaceProcess(unused, List.of());
        }
        // A branch is flagged after 2 failed phase-two calls instead of 10, so the test sees it within seconds.
        stack.replaceProcess("tx-coordinator", List.of(new ProcessLine("tx-coordinator", "tx-coordinator",
                "tx-coordinator", "--flotilla.coordinator.raft-port={tx-raft}"
                        + " --flotilla.coordinator.data-dir={data}/tx-coordinator {secrets}"
                        + " --flotilla.coordinator.phase-two.alert-after-attempts=2")));
        shop = stack.deferring("inventory-2").start();
        console = shop.url("registry") + "/ui";
        browser = chromium(browserProfile);
    }

    @AfterAll
    static void stopEverything() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (shop != null) {
            shop.close();
        }
        if (!pageLoads.isEmpty()) {
            Files.writeString(SCREENSHOTS.resolve("page-loads.txt"), pageLoads.toString() + System.lineSeparator());
            System.out.println("console page loads in Chromium (navigation start to load end, ms): " + pageLoads);
        }
    }

    @Test
    @Order(1)
    void aNewInstanceAppearsAndADrainedOneGetsNoMoreTraffic() throws Exception {
        signIn(shop.secret("registry-token"));
        open("/services");
        int replicaPort = shop.port("inventory-2");
        assertThat(instanceRow(replicaPort)).as("inventory-2 before it started").isEmpty();

        shop.process("inventory-2").start();
        WebElement row = waitFor("inventory-2 to appear on the open services page", () -> instanceRow(replicaPort));
        assertThat(row.getAttribute("data-status")).isEqualTo("UP");
        screenshot("services");

        String gateway = shop.url("gateway");
        String replica = shop.processUrl("inventory-2");
        await("the gateway sends some requests to the new replica").atMost(LIVE).untilAsserted(() -> {
            double before = productRequests(replica);
            sendThroughGateway(gateway, 10);
            assertThat(productRequests(replica)).isGreaterThan(before);
        });

        instanceRow(replicaPort).orElseThrow().findElement(By.cssSelector("button.drain")).click();
        waitFor("the page to show inventory-2 draining", () -> instanceRow(replicaPort)
                .filter(r -> "DRAINING".equals(r.getAttribute("data-status"))));
        waitFor("the outcome of the click", () -> browser.findElements(By.id("outcome")).stream()
                .filter(outcome -> outcome.getText().contains("DRAINING")).findFirst());
        screenshot("services-draining");
        await("the gateway stops sending to the drained replica").atMost(LIVE).untilAsserted(() -> {
            double before = productRequests(replica);
            sendThroughGateway(gateway, 10);
            assertThat(productRequests(replica)).isEqualTo(before);
        });

        instanceRow(replicaPort).orElseThrow().findElement(By.cssSelector("button.drain")).click();
        waitFor("the page to show inventory-2 back in rotation", () -> instanceRow(replicaPort)
                .filter(r -> "UP".equals(r.getAttribute("data-status"))));
    }

    @Test
    @Order(2)
    void aTransactionWithAFailingParticipantBecomesFlagged() throws Exception {
        open("/transactions?filter=flagged");
        String coordinator = shop.url("tx-coordinator");
        Map<String, String> token = Map.of("Authorization", "Bearer " + shop.secret("coordinator-token"));
        String xid = JSON.readTree(post(coordinator + "/v1/transactions",
                "{\"mode\":\"TCC\",\"timeoutMs\":300000,\"name\":\"console-flagged\"}", token).body()).path("xid").asText();
        // A participant that is gone: nothing listens where its confirm and cancel calls go.
        String gone = "http://127.0.0.1:" + PortProbe.freePort();
        HttpResponse<String> branch = post(coordinator + "/v1/transactions/" + xid + "/branches",
                "{\"resource\":\"gone-participant\",\"confirmUrl\":\"" + gone + "/confirm\",\"cancelUrl\":\"" + gone
                        + "/cancel\"}", token);
        assertThat(branch.statusCode()).as(branch.body()).isEqualTo(201);
        HttpResponse<String> commit = post(coordinator + "/v1/transactions/" + xid + "/commit", "", token);
        assertThat(commit.statusCode()).as(commit.body()).isEqualTo(200);

        waitFor("the transaction to be listed as flagged, committing", () -> browser.findElements(By.id("tx-" + xid))
                .stream().filter(row -> "true".equals(row.getAttribute("data-flagged"))
                        && row.getText().contains("COMMITTING") && row.getText().contains("FLAGGED")).findFirst());
        screenshot("transactions-flagged");

        open("/transactions/" + xid);
        waitFor("the branch's failed attempts", () -> browser.findElements(By.cssSelector("[id^=branch-]")).stream()
                .filter(b -> b.getText().contains("FLAGGED")).findFirst());
        screenshot("transaction");
    }

    @Test
    @Order(3)
    void theClusterAndTheKeysAreShown() throws Exception {
        open("/cluster");
        waitFor("both Raft groups with a leader", () -> Optional.of(browser.findElements(By.cssSelector("strong.leader")))
                .filter(leaders -> leaders.size() == 2));
        waitFor("a leader in each group's member list", () -> Optional.of(List.of(
                browser.findElement(By.id("group-registry")).getText(),
                browser.findElement(By.id("group-tx-coordinator")).getText()))
                .filter(groups -> groups.stream().allMatch(text -> text.contains("LEADER"))));
        screenshot("cluster");

        // Two contenders for one lock, laid out as the lock starter's registry backend lays them out.
        String registry = shop.url("registry");
        Map<String, String> token = Map.of("Authorization", "Bearer " + shop.secret("registry-token"),
                "Content-Type", "application/octet-stream");
        long lease = JSON.readTree(post(registry + "/v1/leases", "{\"ttlSeconds\":60}",
                Map.of("Authorization", "Bearer " + shop.secret("registry-token"))).body()).path("leaseId").asLong();
        open("/kv");
        for (String owner : List.of("order-service-1:thread-7", "order-service-2:thread-3")) {
            post(registry + "/v1/kv/flotilla/locks/stock-FLT-MUG?sequential&lease=" + lease, owner, token);
        }
        waitFor("the lock, its holder and its waiter on the open page", () -> browser.findElements(
                By.id("lock-stock-FLT-MUG")).stream().filter(lock -> lock.getText().contains("order-service-1:thread-7")
                        && lock.getText().contains("order-service-2:thread-3")).findFirst());
        screenshot("kv-and-locks");
    }

    private static WebDriver chromium(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,900", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return driver;
    }

    private static void signIn(String token) {
        browser.get(console + "/login");
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("sign-in")).click();
        new WebDriverWait(browser, LIVE).until(driver -> driver.getCurrentUrl().endsWith("/ui/services"));
    }

    /**
     * Opens a page and notes how long the browser took to load it, and for the pages whose data comes from other
     * nodes (cluster, transactions: asked by their live part right after the page) until that data had arrived.
     * Printed at the end; never asserted.
     */
    private static void open(String path) {
        browser.get(console + path);
        String name = path.replaceAll("/[0-9a-f-]{20,}$", "/{xid}");
        JavascriptExecutor js = (JavascriptExecutor) browser;
        Object millis = js.executeScript(
                "var n = performance.getEntriesByType('navigation')[0]; return n ? n.loadEventEnd - n.startTime : null;");
        if (millis instanceof Number number) {
            pageLoads.put(name, Math.round(number.doubleValue() * 10) / 10.0);
        }
        if (path.startsWith("/cluster") || path.startsWith("/transactions")) {
            Object data = new WebDriverWait(browser, LIVE).until(driver -> js.executeScript(
                    "var r = performance.getEntriesByType('resource').filter(e => e.name.indexOf('/live') > 0"
                            + " && e.responseEnd > 0); return r.length ? r[0].responseEnd : null;"));
            pageLoads.put(name + " with its data", Math.round(((Number) data).doubleValue() * 10) / 10.0);
        }
    }

    private static <T> T waitFor(String what, java.util.function.Supplier<Optional<T>> found) {
        return new WebDriverWait(browser, LIVE).withMessage(what)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(driver -> found.get().orElse(null));
    }

    private static Optional<WebElement> instanceRow(int port) {
        return browser.findElements(By.cssSelector("tr[id^='instance-inventory-service--']")).stream()
                .filter(row -> row.findElements(By.tagName("td")).get(2).getText().endsWith(":" + port)).findFirst();
    }

    private static void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(SCREENSHOTS.resolve(name + ".png"), png);
    }

    private static void sendThroughGateway(String gateway, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/api/products"))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }
    }

    /** The replica's own count of the product list requests it served (its Prometheus endpoint). */
    private static double productRequests(String replica) throws Exception {
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(replica + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher matcher = REQUESTS.matcher(metrics);
        List<Double> counts = new ArrayList<>();
        while (matcher.find()) {
            counts.add(Double.parseDouble(matcher.group(1)));
        }
        return counts.stream().mapToDouble(Double::doubleValue).sum();
    }

    private static HttpResponse<String> post(String url, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (!headers.containsKey("Content-Type")) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
