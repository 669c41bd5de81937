// A live part that failed to load (a node restarting, the coordinator away) tries again in 2 s instead of stopping.
document.addEventListener('htmx:sendError', retry);
document.addEventListener('htmx:responseError', retry);
function retry(event) {
    var element = event.detail.elt;
    if (element && element.hasAttribute('data-live')) {
        setTimeout(function () { htmx.trigger(element, 'retry'); }, 2000);
    }
}
