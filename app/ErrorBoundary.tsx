// A panel that fails to render says so in words and offers a way on; never a stack trace.
import { Component, type ReactNode } from 'react';

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
          The {this.props.name} could not be drawn for this run.{' '}
          <button type="button" className="link-btn" onClick={() => this.setState({ failed: false })}>
            Try again
          </button>
        </p>
      </div>
    );
  }
}
