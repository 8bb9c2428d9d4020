// A panel that fails to render says so in words and offers a way on; never a stack trace.
import { Component, type ReactNode } from 'react';
import { t } from './i18n';

interface State {
  failed: boolean;
}

export class PanelBoundary extends Component<{ name: string; children: ReactNode }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    // For developers only (the console); the page shows a plain message.
    console.error(`[${this.props.name}]`, error);
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="panel panel-failed" role="alert">
        <p>
          {/* Read once, when it fails: a language switch while the message is up keeps its language. */}
          {t(this.props.name === 'graph' ? 'The graph could not be drawn for this run.' : 'The inspector could not be drawn for this run.')}{' '}
          <button type="button" className="link-btn" onClick={() => this.setState({ failed: false })}>
            {t('Try again')}
          </button>
        </p>
      </div>
    );
  }
}
