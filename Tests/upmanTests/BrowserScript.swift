/// The Selenium script the browser tests run against `upman serve`'s uploader page in Debian's
/// headless Chromium. It takes one scenario and prints one JSON line of what it saw.
enum BrowserScript {
    /// `python3 -c BrowserScript.source SCENARIO URL SCREENSHOT FILE...`
    static let source = #"""
        import json, os, sys, time
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By

        scenario, url, screenshot = sys.argv[1], sys.argv[2], sys.argv[3]
        files = sys.argv[4:]

        options = webdriver.ChromeOptions()
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1000,1000"]:
            options.add_argument(argument)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        driver.set_script_timeout(30)

        def throttle(bytes_per_second):
            driver.execute_cdp_cmd("Network.enable", {})
            driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
                "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": bytes_per_second})

        def rows():
            return driver.execute_script(
                "return [...document.querySelectorAll('.file')].map(r => ({name: r.dataset.file, state: r.dataset.state, "
                "value: r.querySelector('progress').value, max: r.querySelector('progress').max, parts: +(r.dataset.parts || 0), "
                "error: r.querySelector('.error').textContent, jobs: r.querySelector('.jobs').textContent}))")

        def pick(input_id, paths):
            element = driver.find_element(By.ID, input_id)
            driver.execute_script("arguments[0].style.width='4px'; arguments[0].style.height='4px'; arguments[0].style.opacity=1;", element)
            element.send_keys("\n".join(paths))

        def wait(predicate, seconds):
            deadline = time.time() + seconds
            seen = []
            while time.time() < deadline:
                seen = rows()
                if predicate(seen):
                    return seen, True
                time.sleep(0.1)
            return seen, False

        def watch_progress(seconds, until):
            """Samples every file's progress value; reports any that went backwards or past its max."""
            backwards, over, last = [], [], {}
            deadline = time.time() + seconds
            seen = []
            while time.time() < deadline:
                seen = rows()
                for row in seen:
                    if row["value"] > row["max"]:
                        over.append(row)
                    if row["value"] < last.get(row["name"], 0):
                        backwards.append((row["name"], last[row["name"]], row["value"]))
                    last[row["name"]] = row["value"]
                if until(seen):
                    return seen, True, backwards, over
                time.sleep(0.05)
            return seen, False, backwards, over

        result = {"scenario": scenario}
        try:
            driver.get(url)
            time.sleep(0.5)
            result["title"] = driver.title
            if scenario == "upload":
                throttle(16 * 1024 * 1024)
                pick("files", files)
                time.sleep(1.0)
                driver.save_screenshot(screenshot)
                seen, ok, backwards, over = watch_progress(120, lambda rs: len(rs) == len(files) and all(r["state"] == "COMPLETED" for r in rs))
                result.update(rows=seen, completed=ok, backwards=backwards, over=over)
            elif scenario == "reload":
                throttle(4 * 1024 * 1024)
                pick("files", files)
                # Reload once the server holds some parts and not others.
                seen, ok = wait(lambda rs: rs and rs[0]["parts"] >= 2, 60)
                result["before_reload"] = seen
                driver.refresh()
                time.sleep(1.0)
                throttle(-1)
                result["offered"] = driver.find_element(By.ID, "resume").is_displayed()
                pick("resume-input", files)
                seen, ok = wait(lambda rs: rs and all(r["state"] == "COMPLETED" for r in rs), 120)
                result.update(rows=seen, completed=ok)
                result["resumed_note"] = driver.execute_script("return document.querySelector('.file .meta').textContent")
            elif scenario == "swap":
                # As "reload", but the file is replaced before it is picked again: other bytes, the
                # same name, size and modification time.
                throttle(4 * 1024 * 1024)
                pick("files", files)
                seen, ok = wait(lambda rs: rs and rs[0]["parts"] >= 2, 60)
                result["before_reload"] = seen
                driver.refresh()
                time.sleep(1.0)
                throttle(-1)
                stat = os.stat(files[0])
                with open(files[0], "wb") as out:
                    out.write(os.urandom(stat.st_size))
                os.utime(files[0], ns=(stat.st_atime_ns, stat.st_mtime_ns))
                pick("resume-input", files)
                seen, ok = wait(lambda rs: rs and all(r["state"] == "COMPLETED" for r in rs), 120)
                result.update(rows=seen, completed=ok)
                result["resumed_note"] = driver.execute_script("return document.querySelector('.file .meta').textContent")
            elif scenario == "cancel":
                throttle(1024 * 1024)
                pick("files", files)
                seen, ok = wait(lambda rs: rs and rs[0]["state"] == "uploading" and rs[0]["value"] > 0, 60)
                print(json.dumps({"ready": True}), flush=True)
                sys.stdin.readline()  # the test cancels the group as an operator, then says so
                started = time.time()
                seen, ok = wait(lambda rs: rs and all(r["state"] == "CANCELLED" for r in rs), 10)
                result.update(rows=seen, cancelled=ok, seconds=time.time() - started)
                time.sleep(0.5)
                result["group_meta"] = driver.execute_script("return document.querySelector('.group > .meta').textContent")
            elif scenario == "jobretry":
                pick("files", files)
                seen, ok = wait(lambda rs: rs and "exec: FAILED" in rs[0]["jobs"], 60)
                result["failed_first"] = ok
                print(json.dumps({"ready": True}), flush=True)
                sys.stdin.readline()  # the test retries the job as an operator, then says so
                started = time.time()
                seen, ok = wait(lambda rs: rs and "exec: SUCCEEDED" in rs[0]["jobs"], 10)
                result.update(rows=seen, retried=ok, seconds=time.time() - started)
            elif scenario == "notoken":
                # The page without the link's fragment, nothing remembered in this tab (the link
                # opened above put its token in sessionStorage).
                driver.execute_script("sessionStorage.clear()")
                driver.get(url.split("#")[0].rsplit("/", 1)[0] + "/")
                time.sleep(0.5)
                pick("files", files)
                time.sleep(0.5)
                result["announce"] = driver.find_element(By.ID, "announce").text
                result["focused"] = driver.switch_to.active_element.get_attribute("id")
                driver.get(url)
                time.sleep(0.5)
                result["note"] = driver.find_element(By.ID, "link-note").text
            elif scenario == "refused":
                # The page hears the refusal when it starts following the feed, before any file.
                deadline = time.time() + 15
                while time.time() < deadline and "refused" not in driver.find_element(By.ID, "announce").text:
                    time.sleep(0.1)
                result["refused_note"] = driver.find_element(By.ID, "announce").text
                result["form_shown"] = driver.find_element(By.ID, "token-form").is_displayed()
                pick("files", files)
                time.sleep(1.0)
                result["announce"] = driver.find_element(By.ID, "announce").text
                result["rows"] = rows()
            result["console"] = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        finally:
            driver.quit()
        print(json.dumps(result), flush=True)
        """#
}
