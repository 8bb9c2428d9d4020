import { createRoot } from 'react-dom/client';
import 'katex/dist/katex.min.css';
import './styles.css';
import { App } from './App';
import { runProgram, startBridge } from './bridge';
import { restoreFromUrl, startUrlSync } from './urlSync';
import { startKeyboard } from './keyboard';

restoreFromUrl();
startBridge();
startUrlSync();
startKeyboard();
runProgram();

createRoot(document.getElementById('root')!).render(<App />);
