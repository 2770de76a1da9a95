// Export status page: poll the JSON status endpoint until the file is ready (or failed, or expired), updating
// the <progress> bar and revealing the download link. A failure seen while polling reloads the page, which says
// why (an export that stopped making progress) and what to do. Without JavaScript, reloading shows the same.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-export-status-url]");
  if (!box) return;
  const url = box.dataset.exportStatusUrl;
  const bar = box.querySelector("progress");
  const percent = box.querySelector("[data-export-percent]");
  const label = box.querySelector("[data-export-label]");
  const download = box.querySelector("[data-export-download]");
  const poll = async () => {
    let data;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) return;
      data = await response.json();
    } catch (error) {
      window.setTimeout(poll, 5000);
      return;
    }
    bar.value = data.progress;
    bar.textContent = `${data.progress}%`;
    percent.textContent = `${data.progress}%`;
    label.textContent = data.status_label;
    if (data.status === "done" && data.download_url) {
      download.href = data.download_url;
      download.hidden = false;
    } else if (data.status !== "failed" && data.status !== "expired") {
      window.setTimeout(poll, 2000);
    } else if (data.status !== box.dataset.exportRenderedStatus) {
      // It failed or stopped while the page was open: the page says why and what to do.
      window.location.reload();
    }
  };
  poll();
});
