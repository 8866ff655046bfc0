package chat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web client in a real browser: headless Chromium, driven by Selenium, opens the page the
 * server serves on its chat port and chats through the WebSocket with a native user and an IRC
 * user in one room. Needs Debian's chromium and chromium-driver; runs in the {@code browser}
 * profile (.ci/run), and is skipped where they are missing unless {@code CI} is set.
 */
class WebClientBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String PASSWORD = "correcthorsebattery";
    /**
     * The picture of the page the test saw, in the build's own folder (tests run in the e2e
     * folder): a test run leaves the checkout as it was. docs/images/web-client.png is a copy of
     * it, made by hand when the client's look changes.
     */
    private static final Path SCREENSHOT = Path.of("target", "web-client.png");

    @RegisterExtension
    final RunningServer server = new RunningServer();

    private WebDriver browser;

    /** A raw IRC connection: lines sent with CR LF, as irssi sends them. */
    private static final class Irc implements AutoCloseable {
        final LineClient client;

        Irc(int port, String nick) throws IOException {
            client = new LineClient(port);
            send("NICK " + nick).send("USER " + nick + " 0 * :" + nick);
            client.awaitLine(l -> l.contains(" 001 " + nick + " "));
        }

        Irc send(String line) throws IOException {
            client.sendBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            return this;
        }

        void await(String contained) {
            client.awaitLine(l -> l.contains(contained));
        }

        @Override
        public void close() throws IOException {
            client.close();
        }
    }

    @BeforeEach
    void startBrowser() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (System.getenv("CI") == null) {
            assumeTrue(installed, "no /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)");
        }
        // Both paths given, so Selenium Manager has nothing to look up or download.
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,720",
                "--lang=en-GB");
        // Chromium's spare connections (preconnects, late-bound sockets) are left as they are: the
        // server must serve a request that comes on one after seconds of silence.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aBrowserChatsWithNativeAndIrcUsersThroughResumeAfterADrop() throws Exception {
        server.start();
        int port = server.port();
        try (LineClient owner = LineClient.named(port, "wendy")) {
            owner.send("/register " + PASSWORD);
            owner.awaitLine(l -> l.startsWith("-- registered wendy"));
        }
        await().atMost(WAIT).until(() -> server.onLoop(s -> s.core().user("wendy")) == null);

        try (LineClient nora = LineClient.named(port, "nora");
                Irc ian = new Irc(port, "ian")) {
            nora.send("/join #web");
            nora.awaitExact("-- now talking in #web");
            nora.send("/topic Anyone with a browser is welcome here");
            nora.send("said before the browser came");
            ian.send("JOIN #web");
            ian.await(" 366 ian #web ");

            browser.get("http://127.0.0.1:" + port + "/");
            browser.findElement(By.id("nick")).sendKeys("wendy");
            browser.findElement(By.id("password")).sendKeys(PASSWORD);
            WebElement room = browser.findElement(By.id("room"));
            room.clear();
            room.sendKeys("#web");
            browser.findElement(By.id("login-button")).click();

            waitFor("the room's history", () -> messages().contains("history|nora|said before the browser came"));
            waitFor("the account", () -> text("#me-account").equals("logged in as wendy"));
            waitFor("the topic", () -> text("#topic").equals("Anyone with a browser is welcome here"));
            waitFor("the members", () -> text("#member-list").equals("@nora\nian\nwendy"));
            nora.awaitExact("[#web] -- wendy joined");

            say("hello from the browser");
            nora.awaitExact("[#web] wendy: hello from the browser");
            ian.await(":wendy!~web@127.0.0.1 PRIVMSG #web :hello from the browser");
            say("/me waves");
            nora.awaitExact("[#web] * wendy waves");

            nora.send("markup stays text: <b>x</b> <img src=x onerror=alert(1)>");
            ian.send("PRIVMSG #web :hi from irc");
            waitFor("both lines", () -> messages().containsAll(List.of(
                    "live|nora|markup stays text: <b>x</b> <img src=x onerror=alert(1)>", "live|ian|hi from irc")));
            assertThat(browser.findElements(By.cssSelector("#messages b, #messages img"))).isEmpty();

            WebElement input = browser.findElement(By.id("input"));
            input.sendKeys("i", Keys.TAB);
            assertThat(input.getAttribute("value")).isEqualTo("ian: ");
            input.sendKeys("tab completes nicks", Keys.ENTER);
            nora.awaitExact("[#web] wendy: ian: tab completes nicks");

            ian.send("PRIVMSG wendy :psst, a private word");
            waitFor("a private tab marked unread", () -> !browser.findElements(
                    By.cssSelector("#buffers button.pm.mentioned[data-name='ian'] .unread")).isEmpty());
            screenshot();
            browser.findElement(By.cssSelector("#buffers button[data-name='ian']")).click();
            waitFor("the private message", () -> messages().contains("live|ian|psst, a private word"));
            say("back to you");
            ian.await(":wendy!~web@127.0.0.1 PRIVMSG ian :back to you");

            // A dropped connection: the page comes back by itself, rejoins, and shows what was
            // said meanwhile once, from history, and what it had already seen not again.
            browser.findElement(By.cssSelector("#buffers button[data-name='#web']")).click();
            server.onLoop(s -> {
                s.core().makeServerOperator(s.core().user("ian"));
                return null;
            });
            ian.send("KILL wendy :testing the reconnect");
            nora.awaitLine(l -> l.startsWith("-- wendy quit: "));
            nora.send("said while the browser was away");
            nora.awaitExact("[#web] -- wendy joined");
            waitFor("the missed line", () -> messages().contains("history|nora|said while the browser was away"));
            say("back again");
            nora.awaitExact("[#web] wendy: back again");
            List<String> seen = messages();
            assertThat(seen).filteredOn(l -> l.endsWith("|said while the browser was away")).hasSize(1);
            assertThat(seen).filteredOn(l -> l.endsWith("|hi from irc")).hasSize(1);
            assertThat(seen).filteredOn(l -> l.endsWith("|said before the browser came")).hasSize(1);
            assertThat(text("#me-account")).isEqualTo("logged in as wendy");
        }
    }

    /** The messages of the tab in front as "history|nick|text" or "live|nick|text", in order. */
    @SuppressWarnings("unchecked")
    private List<String> messages() {
        return (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll('#messages .msg')].map(m => (m.classList.contains('history')"
                        + " ? 'history' : 'live') + '|' + (m.querySelector('.nick')?.textContent ?? '') + '|'"
                        + " + m.querySelector('.text').textContent)");
    }

    private String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private void say(String line) {
        browser.findElement(By.id("input")).sendKeys(line, Keys.ENTER);
    }

    private void waitFor(String what, java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, WAIT).withMessage(what).until(d -> condition.getAsBoolean());
    }

    private void screenshot() throws IOException {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.createDirectories(SCREENSHOT.getParent());
        Files.copy(shot, SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
    }
}
