// Progressive enhancement only: every form works without this script.
document.addEventListener('DOMContentLoaded', () => {
  // The language and time-zone selector applies as soon as a choice is made.
  for (const form of document.querySelectorAll('form[data-autosubmit]')) {
    for (const select of form.querySelectorAll('select')) {
      select.addEventListener('change', () => form.submit());
    }
  }
});
