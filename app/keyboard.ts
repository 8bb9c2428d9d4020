// Stepper keys for the whole page: → ← space Home End, B to switch views, P for presentation mode
// (Escape leaves it), except while typing.
import { appStore, stepBack, stepForward, toEnd, togglePlay, toStart, toggleView, togglePresentation, pause } from './store/appStore';

function isTyping(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  return t.isContentEditable || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement || (t instanceof HTMLInputElement && t.type !== 'button');
}

export function startKeyboard(): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
    // Space and Enter on a real button press that button.
    if ((e.key === ' ' || e.key === 'Enter') && e.target instanceof HTMLButtonElement) return;
    switch (e.key) {
      case 'ArrowRight':
        pause();
        stepForward();
        break;
      case 'ArrowLeft':
        stepBack();
        break;
      case ' ':
        togglePlay();
        break;
      case 'Home':
        toStart();
        break;
      case 'End':
        toEnd();
        break;
      case 'b':
      case 'B':
        toggleView();
        break;
      case 'p':
      case 'P':
        togglePresentation();
        break;
      case 'Escape':
        if (!appStore.getState().presentation) return;
        togglePresentation();
        break;
      default:
        return;
    }
    e.preventDefault();
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
